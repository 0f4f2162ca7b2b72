import { describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES, TransportError } from '../../../../src/providers/transport/transport.js';

describe('TransportError', () => {
  it('says the failure kind and the system code, and keeps both as fields', () => {
    const error = new TransportError('network', 'ECONNRESET');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TransportError');
    expect(error.message).toBe('transport network (ECONNRESET)');
    expect(error.kind).toBe('network');
    expect(error.code).toBe('ECONNRESET');
  });

  it('says the kind alone when there is no code', () => {
    const error = new TransportError('timeout', undefined);
    expect(error.message).toBe('transport timeout');
    expect(error.code).toBeUndefined();
  });

  it('treats an empty code as none', () => {
    expect(new TransportError('too-large', '').message).toBe('transport too-large');
  });
});

describe('TRANSPORT_NAMES', () => {
  it('lists undici first, the default, then node-fetch', () => {
    expect(TRANSPORT_NAMES).toEqual(['undici', 'node-fetch']);
  });
});
