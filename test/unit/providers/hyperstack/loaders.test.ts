import { describe, expect, it } from 'vitest';
import type { Freshness, SourceCache } from '../../../../src/cache/sourceCache.js';
import type { HsWindow, HyperstackClient, ListPage, RowDto } from '../../../../src/providers/hyperstack/client.js';
import type { HsKind } from '../../../../src/providers/hyperstack/kinds.js';
import {
  createHyperstackLoaders,
  MAX_LIST_PAGES,
  THRESHOLDS_OPERATION,
  type HistoryIndex,
} from '../../../../src/providers/hyperstack/loaders.js';

type Call = [string, ...unknown[]];

/** Lets the other pending calls go first, so a slow call answers after its neighbours. */
const later = () => new Promise((resolve) => setImmediate(resolve));

const JAN: HsWindow = { start: '2026-01-01T00:00:00', end: '2026-02-01T00:00:00' };
const FEB: HsWindow = { start: '2026-02-01T00:00:00', end: '2026-03-01T00:00:00' };

const row = (id: string | null, bill: string, name = `r-${id}`): RowDto => ({
  attributes: { infrahub_id: id, resource_name: name },
  metrics: { incurred_bill: bill },
});

type Pages = Record<number, RowDto[]>;
interface FakeOptions {
  /** The list pages of each `kind|start` (default window: `kind|default`); page count = number of entries. */
  lists?: Record<string, Pages>;
  /** Overrides the page count the first page announces. */
  pages?: number;
  /** Details rows by id (default: none, i.e. no billing in the window). */
  details?: Record<string, RowDto[]>;
  contracts?: RowDto[];
  /** Ids or list groups whose calls answer last, or throw. */
  slow?: string[];
  failing?: string[];
}

/** A fake Hyperstack client recording every call. */
function fakeClient(opts: FakeOptions = {}) {
  const calls: Call[] = [];
  const answer = async <T>(tag: string, value: () => T): Promise<T> => {
    if (opts.slow?.includes(tag)) {
      await later();
      await later();
    }
    if (opts.failing?.includes(tag)) throw new Error(`failed ${tag}`);
    return value();
  };
  const group = (kind: string, window: HsWindow | null) => `${kind}|${window?.start ?? 'default'}`;
  const client = {
    list: (kind: HsKind, window: HsWindow | null, page: number, perPage: number): Promise<ListPage> => {
      calls.push(['list', kind, window, page, perPage]);
      const pages = opts.lists?.[group(kind, window)] ?? { 1: [] };
      return answer(group(kind, window), () => ({
        orgId: '42',
        totalCount: Object.values(pages).flat().length,
        pages: opts.pages ?? Object.keys(pages).length,
        rows: pages[page] ?? [],
      }));
    },
    contracts: (window: HsWindow | null, search: string | null): Promise<RowDto[]> => {
      calls.push(['contracts', window, search]);
      return answer(search ?? group('CONTRACT', window), () => opts.contracts ?? []);
    },
    details: (kind: HsKind, id: string, window: HsWindow | null): Promise<RowDto[]> => {
      calls.push(['details', kind, id, window]);
      return answer(id, () => opts.details?.[id] ?? []);
    },
    graph: (kind: HsKind, id: string, window: HsWindow | null) => {
      calls.push(['graph', kind, id, window]);
      return answer(id, () => ({ granularity: 3600, rows: [row(id, '1')] }));
    },
    events: (kind: HsKind, id: string, window: HsWindow | null) => {
      calls.push(['events', kind, id, window]);
      return answer(id, () => [{ id }]);
    },
    subResources: (id: string, window: HsWindow | null, graph: boolean) => {
      calls.push(['subResources', id, window, graph]);
      return answer(id, () => ({ id, graph }));
    },
    orgHistory: (window: HsWindow | null, graph: boolean) => {
      calls.push(['orgHistory', window, graph]);
      return answer(window?.start ?? 'default', () => ({ orgId: '42', metrics: [], window, graph }));
    },
    usage: (deleted: boolean, environment: string | null) => {
      calls.push(['usage', deleted, environment]);
      return answer(String(environment), () => [{ deleted, environment }]);
    },
    lastDayCost: () => {
      calls.push(['lastDayCost']);
      return answer('lastDayCost', () => ({ total: '0.10' }));
    },
    thresholds: () => {
      calls.push(['thresholds']);
      return answer('thresholds', () => [{ id: 1 }]);
    },
    badResponse: (request: { operation: string }, what: string) => {
      calls.push(['badResponse', request.operation, what]);
      return new Error(`answered "${request.operation}" with ${what}`);
    },
  };
  return { client: client as unknown as HyperstackClient, calls };
}

const VM = 'VIRTUAL_MACHINE' as const;
const named = (r: RowDto | null | Error) => (r instanceof Error ? r : r && r.attributes.resource_name);

describe('createHyperstackLoaders row', () => {
  it('answers in key order whatever order the upstream lists the rows, extra rows ignored', async () => {
    const { client } = fakeClient({
      lists: {
        [`${VM}|${JAN.start}`]: { 1: [row('3', '3.00'), row('9', '9.00'), row('1', '1.00'), row('2', '2.00')] },
      },
    });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.row.loadMany(['1', '2', '3'].map((id) => ({ kind: VM, id, window: JAN })));
    expect(results.map(named)).toEqual(['r-1', 'r-2', 'r-3']);
  });

  it('makes one list walk per (kind, window) however many resources ask, with the exact window and page size', async () => {
    const { client, calls } = fakeClient({
      lists: {
        [`${VM}|${JAN.start}`]: { 1: [row('1', '1')], 2: [row('2', '2')], 3: [row('3', '3')] },
        [`${VM}|${FEB.start}`]: { 1: [row('1', '4')] },
        [`VOLUME|${JAN.start}`]: { 1: [row('7', '7')] },
      },
    });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.row.loadMany([
      { kind: VM, id: '1', window: JAN },
      { kind: VM, id: '2', window: JAN },
      { kind: VM, id: '1', window: FEB },
      { kind: 'VOLUME', id: '7', window: JAN },
      { kind: VM, id: '3', window: JAN },
    ]);
    expect(results.map((r) => (r as RowDto).metrics.incurred_bill)).toEqual(['1', '2', '4', '7', '3']);
    expect(calls).toEqual([
      ['list', VM, JAN, 1, 100],
      ['list', VM, FEB, 1, 100],
      ['list', 'VOLUME', JAN, 1, 100],
      ['list', VM, JAN, 2, 100],
      ['list', VM, JAN, 3, 100],
    ]);
  });

  it('asks details once for an id the complete list lacks, and answers null when it has no billing', async () => {
    const { client, calls } = fakeClient({
      lists: { [`${VM}|${JAN.start}`]: { 1: [row('1', '1')] } },
      details: { '5': [row('5', '0.1'), row('5', '0.2')] },
    });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.row.loadMany([
      { kind: VM, id: '5', window: JAN },
      { kind: VM, id: '1', window: JAN },
      { kind: VM, id: '6', window: JAN },
    ]);
    expect((results[0] as RowDto).metrics.incurred_bill).toBe('0.3');
    expect(named(results[1]!)).toBe('r-1');
    expect(results[2]).toBeNull();
    expect(calls).toEqual([
      ['list', VM, JAN, 1, 100],
      ['details', VM, '5', JAN],
      ['details', VM, '6', JAN],
    ]);
  });

  it('keeps a failing details call (a 404) on its own key only', async () => {
    const { client } = fakeClient({ lists: { [`${VM}|${JAN.start}`]: { 1: [row('1', '1')] } }, failing: ['404'] });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.row.loadMany(['1', '404', '7'].map((id) => ({ kind: VM, id, window: JAN })));
    expect(results.map(named)).toEqual(['r-1', new Error('failed 404'), null]);
  });

  it('puts a failed list walk on the keys of its group only', async () => {
    const { client } = fakeClient({
      lists: { [`VOLUME|${JAN.start}`]: { 1: [row('7', '7')] } },
      failing: [`${VM}|${JAN.start}`],
    });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.row.loadMany([
      { kind: VM, id: '1', window: JAN },
      { kind: 'VOLUME', id: '7', window: JAN },
      { kind: VM, id: '2', window: JAN },
    ]);
    expect(results.map(named)).toEqual([
      new Error(`failed ${VM}|${JAN.start}`),
      'r-7',
      new Error(`failed ${VM}|${JAN.start}`),
    ]);
  });

  it('passes the listed rows and their decimal strings through untouched', async () => {
    const bill = '123456789012345678901234567890.000000000000000000001';
    const listed = row('1', bill);
    const { client } = fakeClient({ lists: { [`${VM}|default`]: { 1: [listed] } } });
    const result = await createHyperstackLoaders(client).row.load({ kind: VM, id: '1', window: null });
    expect(result).toBe(listed);
    expect(result!.metrics.incurred_bill).toBe(bill);
  });

  it('reads contracts from one contracts call, a missing contract being null without any details call', async () => {
    const { client, calls } = fakeClient({ contracts: [row('11', '5'), row('12', '6')] });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.row.loadMany(
      ['12', '13', '11'].map((id) => ({ kind: 'CONTRACT' as const, id, window: JAN })),
    );
    expect(results.map(named)).toEqual(['r-12', null, 'r-11']);
    expect(calls).toEqual([['contracts', JAN, null]]);
  });
});

describe('createHyperstackLoaders history', () => {
  it('walks page 1 then every other page, keeping the first row of each infrahub_id and dropping rows without one', async () => {
    const first = row('1', '1', 'first');
    const { client } = fakeClient({
      lists: { [`${VM}|${JAN.start}`]: { 1: [first, row(null, '8')], 2: [row('1', '1', 'again'), row('2', '2')] } },
    });
    const index: HistoryIndex = await createHyperstackLoaders(client).history.load({ kind: VM, window: JAN });
    expect(index.orgId).toBe('42');
    expect(index.totalCount).toBe(4);
    expect(index.rows.map((r) => r.attributes.resource_name)).toEqual(['first', 'r-2']);
    expect(index.byId.get('1')).toBe(first);
  });

  it(`refuses a list of more than ${MAX_LIST_PAGES} pages before asking page 2`, async () => {
    const { client, calls } = fakeClient({ pages: MAX_LIST_PAGES + 1 });
    const loaders = createHyperstackLoaders(client);
    const [vm] = await loaders.history.loadMany([{ kind: VM, window: JAN }]);
    expect(vm).toEqual(
      new Error(
        `answered "get_vm_billing_history" with pagination.pages 101: the list is larger than the 100 pages of 100 billgraph reads`,
      ),
    );
    expect(calls.filter((c) => c[0] === 'list')).toEqual([['list', VM, JAN, 1, 100]]);
  });

  it(`reads a list of exactly ${MAX_LIST_PAGES} pages with one call per page`, async () => {
    const { client, calls } = fakeClient({ pages: MAX_LIST_PAGES });
    await createHyperstackLoaders(client).history.load({ kind: VM, window: JAN });
    expect(calls.map((c) => c[3])).toEqual(Array.from({ length: MAX_LIST_PAGES }, (_, i) => i + 1));
  });
});

describe('createHyperstackLoaders per-resource and listing loaders', () => {
  it('answers graph in key order whatever order the upstream answers, one call per (kind, id, window)', async () => {
    const { client, calls } = fakeClient({ slow: ['1'] });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.graph.loadMany([
      { kind: VM, id: '1', window: JAN },
      { kind: VM, id: '2', window: null },
      { kind: VM, id: '1', window: JAN },
    ]);
    expect(results.map((r) => named((r as { rows: RowDto[] }).rows[0]!))).toEqual(['r-1', 'r-2', 'r-1']);
    expect(calls).toEqual([
      ['graph', VM, '1', JAN],
      ['graph', VM, '2', null],
    ]);
  });

  it('keeps a failing events call on its own key only, passing kind, id and window exactly', async () => {
    const { client, calls } = fakeClient({ failing: ['2'] });
    const loaders = createHyperstackLoaders(client);
    const results = await loaders.events.loadMany(
      ['1', '2', '3'].map((id) => ({ kind: 'VOLUME' as const, id, window: FEB })),
    );
    expect(results).toEqual([[{ id: '1' }], new Error('failed 2'), [{ id: '3' }]]);
    expect(calls).toEqual([
      ['events', 'VOLUME', '1', FEB],
      ['events', 'VOLUME', '2', FEB],
      ['events', 'VOLUME', '3', FEB],
    ]);
  });

  it('tells sub-resources, org history and usage keys apart by every field', async () => {
    const { client, calls } = fakeClient();
    const loaders = createHyperstackLoaders(client);
    await Promise.all([
      loaders.subResources.loadMany([
        { kind: 'CLUSTER', id: '4', window: JAN, graph: false },
        { kind: 'CLUSTER', id: '4', window: JAN, graph: true },
        { kind: 'CLUSTER', id: '4', window: JAN, graph: false },
      ]),
      loaders.orgHistory.loadMany([
        { window: null, graph: false },
        { window: JAN, graph: true },
        { window: null, graph: false },
      ]),
      loaders.usage.loadMany([
        { deleted: false, environment: null },
        { deleted: true, environment: 'prod' },
        { deleted: false, environment: null },
      ]),
    ]);
    expect(calls).toEqual([
      ['subResources', '4', JAN, false],
      ['subResources', '4', JAN, true],
      ['orgHistory', null, false],
      ['orgHistory', JAN, true],
      ['usage', false, null],
      ['usage', true, 'prod'],
    ]);
  });

  it('searches contracts by id with one call per id, in key order', async () => {
    const { client, calls } = fakeClient({ slow: ['11'], contracts: [row('11', '5')] });
    const results = await createHyperstackLoaders(client).contractSearch.loadMany(['11', '12', '11']);
    expect(results).toEqual([[row('11', '5')], [row('11', '5')], [row('11', '5')]]);
    expect(calls).toEqual([
      ['contracts', null, '11'],
      ['contracts', null, '12'],
    ]);
  });

  it('reads last-day cost and thresholds with one call each, a failure on that loader only', async () => {
    const { client, calls } = fakeClient({ failing: ['thresholds'] });
    const loaders = createHyperstackLoaders(client);
    const results = await Promise.allSettled([
      loaders.lastDayCost.load('all'),
      loaders.thresholds.load('all'),
      loaders.lastDayCost.load('all'),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: { total: '0.10' } },
      { status: 'rejected', reason: new Error('failed thresholds') },
      { status: 'fulfilled', value: { total: '0.10' } },
    ]);
    expect(calls).toEqual([['lastDayCost'], ['thresholds']]);
    expect(loaders.client).toBe(client);
  });

  it('keys the cache per operation, final only an hour after a window ends and never for the default window', async () => {
    const { client } = fakeClient({ lists: { [`${VM}|${JAN.start}`]: { 1: [row('1', '1')] } } });
    const through: [string, string, Freshness][] = [];
    const cache = {
      through: (operation: string, params: string, freshness: Freshness, load: () => Promise<unknown>) => {
        through.push([operation, params, freshness]);
        return load();
      },
    } as SourceCache;
    // 2026-03-01T00:30Z: January is final, February is within the hour of finality lag.
    const loaders = createHyperstackLoaders(client, cache, () => Date.UTC(2026, 2, 1, 0, 30));
    await loaders.row.load({ kind: VM, id: '2', window: JAN });
    await loaders.graph.load({ kind: VM, id: '1', window: FEB });
    await loaders.orgHistory.load({ window: null, graph: true });
    await loaders.subResources.load({ kind: 'CLUSTER', id: '4', window: JAN, graph: false });
    await loaders.usage.load({ deleted: true, environment: null });
    await loaders.thresholds.load('all');
    expect(through).toEqual([
      ['history', `${VM}|${JAN.start}|${JAN.end}`, 'final'],
      ['details', `${VM}|2|${JAN.start}|${JAN.end}`, 'final'],
      ['graph', `${VM}|1|${FEB.start}|${FEB.end}`, 'open'],
      ['orgHistory', 'default|true', 'open'],
      ['subResources', `CLUSTER|4|${JAN.start}|${JAN.end}|false`, 'final'],
      ['usage', 'true|', 'listing'],
      [THRESHOLDS_OPERATION, '', 'listing'],
    ]);
  });
});
