import { describe, expect, it } from 'vitest';
import { decodeId, decodeIdOf, encodeId } from '../../../src/lib/ids.js';

describe('ids', () => {
  it("round-trip any type-named kind, so a provider's own kinds need no list here", () => {
    const id = encodeId('AcmeWorkspace', 'acme', 'w:1', 'é/2');
    expect(decodeId(id)).toEqual({ kind: 'AcmeWorkspace', sourceId: 'acme', parts: ['w:1', 'é/2'] });
  });

  it('refuse a kind that is not shaped like a type name, naming the argument', () => {
    for (const kind of ['account', '1Account', 'Acc-ount', 'A'.repeat(65)]) {
      expect(() => decodeId(encodeId(kind, 'g8', '1'), 'input.id')).toThrow(
        /Argument "input.id" must be an id returned by this API/,
      );
    }
  });

  it('refuse an id without a source or with an empty part', () => {
    expect(() => decodeId(Buffer.from('Account:g8', 'utf8').toString('base64url'))).toThrow(/must be an id/);
    expect(() => decodeId(encodeId('Account', 'g8', ''))).toThrow(/must be an id/);
  });

  it('name what was expected when the kind is wrong, in the words the caller gives', () => {
    const cloudspace = encodeId('Cloudspace', 'g8', '1', '2');
    expect(() => decodeIdOf(cloudspace, ['Account'])).toThrow(
      'Argument "id" must be an Account id, got a Cloudspace id.',
    );
    expect(() => decodeIdOf(cloudspace, ['Resource', 'Machine'], 'id', 'a Resource')).toThrow(
      'Argument "id" must be a Resource id, got a Cloudspace id.',
    );
    expect(decodeIdOf(cloudspace, ['Cloudspace']).parts).toEqual(['1', '2']);
  });
});
