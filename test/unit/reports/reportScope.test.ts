import { describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/lib/ids.js';
import type { SourceModel } from '../../../src/models.js';
import { reportScope } from '../../../src/reports/reportScope.js';

const src = (id: string, provider: string): SourceModel => ({
  id,
  provider: provider as SourceModel['provider'],
  name: id,
});
const SOURCES = [src('g8', 'OPENVCLOUD'), src('kb', 'KILLBILL'), src('hs', 'HYPERSTACK')];
const ids = (sources: readonly SourceModel[]) => sources.map((s) => s.id);

describe('reportScope', () => {
  it('is every source at account level without arguments', () => {
    expect(reportScope(SOURCES, {})).toEqual({
      sources: SOURCES,
      accounts: null,
      metrics: null,
      resourceTypes: null,
      dimensions: [],
      level: 'ACCOUNT',
    });
  });

  it('narrows by providers, filter.providers and filter.sources together', () => {
    expect(ids(reportScope(SOURCES, { providers: ['OPENVCLOUD', 'KILLBILL'] as never }).sources)).toEqual(['g8', 'kb']);
    expect(
      ids(
        reportScope(SOURCES, {
          providers: ['OPENVCLOUD', 'KILLBILL'] as never,
          filter: { providers: ['KILLBILL', 'HYPERSTACK'] as never },
        }).sources,
      ),
    ).toEqual(['kb']);
    expect(ids(reportScope(SOURCES, { filter: { sources: ['hs', 'g8'] } }).sources)).toEqual(['g8', 'hs']);
    expect(ids(reportScope(SOURCES, { filter: { sources: [] } }).sources)).toEqual([]);
  });

  it('asks only the sources of the accounts a filter names', () => {
    const acc = encodeId('Account', 'kb', 'a-1');
    const scope = reportScope(SOURCES, { filter: { accounts: [acc] } });
    expect(ids(scope.sources)).toEqual(['kb']);
    expect([...scope.accounts!]).toEqual([acc]);
  });

  it('reads as finely as the dimensions and filter need', () => {
    const level = (groupBy: string[], resourceTypes?: string[]) =>
      reportScope(SOURCES, {
        groupBy: groupBy as never,
        filter: resourceTypes ? { resourceTypes: resourceTypes as never } : null,
      }).level;
    expect(level(['PROVIDER', 'METRIC'])).toBe('ACCOUNT');
    expect(level(['SUB_ACCOUNT'])).toBe('SUB_ACCOUNT');
    expect(level(['SUB_ACCOUNT', 'RESOURCE_TYPE'])).toBe('RESOURCE');
    expect(level(['RESOURCE'])).toBe('RESOURCE');
    expect(level([], ['MACHINE'])).toBe('RESOURCE');
    expect(reportScope(SOURCES, { filter: { metrics: ['CU'] } }).metrics).toEqual(new Set(['CU']));
  });

  it('refuses what it cannot answer with BAD_USER_INPUT naming what to change', () => {
    const refusal = (args: Parameters<typeof reportScope>[1]) => {
      try {
        reportScope(SOURCES, args);
      } catch (error) {
        return error as Error & { extensions: Record<string, unknown> };
      }
      throw new Error('not refused');
    };
    const unknown = refusal({ filter: { sources: ['nope'] } });
    expect(unknown.message).toBe(
      'Argument "filter.sources" must list configured source ids ("g8", "kb", "hs"), got "nope".',
    );
    expect(unknown.extensions.code).toBe('BAD_USER_INPUT');
    expect(refusal({ groupBy: ['METRIC', 'SOURCE', 'METRIC'] as never }).message).toBe(
      'Argument "groupBy" names METRIC twice; name each dimension once.',
    );
    expect(refusal({ filter: { accounts: ['garbage!'] } }).message).toMatch(
      /^Argument "filter.accounts" must be an id returned by this API/,
    );
    expect(refusal({ filter: { accounts: [encodeId('Machine', 'g8', '1', '2', '3')] } }).message).toBe(
      'Argument "filter.accounts" must be an Account id, got a Machine id.',
    );
    expect(refusal({ filter: { accounts: [encodeId('Account', 'zz', '1')] } }).message).toMatch(
      /source "zz", which is not configured/,
    );
    expect(
      refusal({ providers: ['KILLBILL'] as never, filter: { accounts: [encodeId('Account', 'g8', '1')] } }).message,
    ).toMatch(/source "g8", which the providers and sources asked leave out/);
  });
});
