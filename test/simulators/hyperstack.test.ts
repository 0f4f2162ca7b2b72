import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyperstackClient } from '../../src/providers/hyperstack/client.js';
import { createHyperstackLoaders } from '../../src/providers/hyperstack/loaders.js';
import {
  HYPERSTACK_ALL_EXTENSIONS,
  HYPERSTACK_SIM_FORBIDDEN_KEY,
  HYPERSTACK_SIM_KEY,
  startHyperstackSimulator,
  type HyperstackSimulator,
} from '../../simulators/hyperstack/simulator.js';

describe('Hyperstack simulator speaks the API of docs/upstreams/hyperstack.md', () => {
  let sim: HyperstackSimulator;
  beforeAll(async () => {
    sim = await startHyperstackSimulator();
  });
  afterAll(async () => sim?.close());

  const get = async (path: string, key: string | null = HYPERSTACK_SIM_KEY) => {
    const r = await fetch(`${sim.baseUrl}${path}`, { headers: key ? { api_key: key } : {} });
    return { status: r.status, text: await r.text() };
  };
  const body = async (path: string, key?: string | null) => {
    const r = await get(path, key);
    return [r.status, JSON.parse(r.text)];
  };

  it('seeds at least 40 resources across every kind, with unique infrahub ids', () => {
    expect(sim.data.resources.length).toBeGreaterThanOrEqual(40);
    expect(new Set(sim.data.resources.map((r) => r.kind)).size).toBe(10);
    const ids = [
      ...sim.data.resources.map((r) => r.infrahubId),
      ...sim.data.resources.flatMap((r) => r.nodes.map((n) => n.infrahubId)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('401 without or with an unknown api_key, 403 for a key without billing permission', async () => {
    expect(await body('/billing/billing/last-day-cost', null)).toEqual([
      401,
      { status: false, message: 'Missing api_key header.', error_reason: 'unauthorized' },
    ]);
    expect(await body('/billing/billing/last-day-cost', 'nope')).toEqual([
      401,
      { status: false, message: 'Invalid api_key.', error_reason: 'unauthorized' },
    ]);
    expect((await body('/billing/billing/last-day-cost', HYPERSTACK_SIM_FORBIDDEN_KEY))[1]).toMatchObject({
      status: false,
      error_reason: 'forbidden',
    });
    const bearer = await fetch(`${sim.baseUrl}/billing/billing/last-day-cost`, {
      headers: { authorization: `Bearer ${HYPERSTACK_SIM_KEY}` },
    });
    expect(bearer.status).toBe(401);
  });

  it('400 on malformed dates, reversed windows, bad paging and bad flags', async () => {
    for (const q of [
      'start_date=2026-10-01',
      'start_date=2026-10-01T00:00:00Z',
      'start_date=2026-10-02T00:00:00&end_date=2026-10-01T00:00:00',
      'per_page=0',
      'page=x',
    ]) {
      const [status, b] = await body(`/billing/billing/history/virtual-machine?${q}`);
      expect([q, status, b.error_reason]).toEqual([q, 400, 'bad_request']);
    }
    expect((await body('/billing/billing/usage?deleted=yes'))[0]).toBe(400);
    expect((await body('/billing/billing/history?graph=1'))[0]).toBe(400);
    for (const payload of ['not json', '{}', '{"subscribe":"true"}']) {
      const r = await fetch(`${sim.baseUrl}/billing/billing/threshold/1`, {
        method: 'PUT',
        headers: { api_key: HYPERSTACK_SIM_KEY, 'content-type': 'application/json' },
        body: payload,
      });
      expect([payload, r.status]).toEqual([payload, 400]);
    }
  });

  it('404 for unknown ids, except the events endpoints, which answer an empty list', async () => {
    expect(await body('/billing/billing/history/volume/1')).toEqual([
      404,
      { status: false, message: 'Resource 1 not found.', error_reason: 'not_found' },
    ]);
    expect(await body('/billing/billing/virtual-machine/1/billing-events')).toEqual([
      200,
      { status: true, message: 'Billing events retrieved successfully.', billing_events_history: [] },
    ]);
    const vm = sim.data.resources.find((r) => r.kind === 'VIRTUAL_MACHINE')!;
    // An id of another kind is unknown on this route.
    expect((await body(`/billing/billing/history/bucket/${vm.infrahubId}`))[0]).toBe(404);
  });

  it('pages lists (per_page clamped at 100) and counts every match', async () => {
    const [, p1] = await body(
      '/billing/billing/history/virtual-machine?start_date=2026-10-01T00:00:00&end_date=2026-11-01T00:00:00&per_page=5&page=2',
    );
    const listed = sim.expected.listed('VIRTUAL_MACHINE', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z');
    expect(p1.billing_history_vm.total_count).toBe(listed.length);
    expect(p1.billing_history_vm.pagination).toEqual({ page: 2, pages: Math.ceil(listed.length / 5), per_page: 5 });
    expect(
      p1.billing_history_vm.billing_history.map(
        (r: { attributes: { infrahub_id: number } }) => r.attributes.infrahub_id,
      ),
    ).toEqual(listed.slice(5, 10).map((r) => r.infrahubId));
    const [, big] = await body('/billing/billing/history/virtual-machine?per_page=1000');
    expect(big.billing_history_vm.pagination.per_page).toBe(100);
    const [, search] = await body(
      `/billing/billing/history/virtual-machine?search=${encodeURIComponent(listed[0]!.name.toUpperCase())}`,
    );
    expect(
      search.billing_history_vm.billing_history.map(
        (r: { attributes: { resource_name: string } }) => r.attributes.resource_name,
      ),
    ).toContain(listed[0]!.name);
  });

  it('prints money as JSON numbers with every digit, never through a float', async () => {
    const r = await get(
      '/billing/billing/history/virtual-machine?start_date=2026-10-01T00:00:00&end_date=2026-10-01T01:00:00',
    );
    expect(r.text).toContain('"price_per_hour":0.015774193694443002');
  });

  it('keeps the documented quirks: no envelope on 11 and 22, success on token lists, the misspelt key', async () => {
    const vm = sim.data.resources.find((r) => r.kind === 'VIRTUAL_MACHINE')!;
    const bucket = sim.data.resources.find((r) => r.kind === 'BUCKET')!;
    const evaluation = sim.data.resources.find((r) => r.kind === 'MODEL_EVALUATION')!;
    expect(
      Object.keys((await body(`/billing/billing/virtual-machine/${vm.infrahubId}/sub-resource`))[1]).sort(),
    ).toEqual(['billing_history', 'granularity', 'org_id', 'total_count']);
    expect(Object.keys((await body(`/billing/billing/history/bucket/${bucket.infrahubId}/graph`))[1]).sort()).toEqual([
      'billing_history',
      'granularity',
      'org_id',
      'total_count',
    ]);
    expect(Object.keys((await body('/billing/billing/history/model_evaluation'))[1]).sort()).toEqual([
      'billing_history_serverless_inference',
      'message',
      'success',
    ]);
    expect(
      Object.keys((await body(`/billing/billing/history/model_evaluation/${evaluation.infrahubId}`))[1]),
    ).toContain('billing_history_model_evalutation_details');
  });
});

describe('Hyperstack list walk', () => {
  it('fetches every page of a list the server clamps, once, and indexes rows by infrahub_id', async () => {
    const sim = await startHyperstackSimulator({ maxPerPage: 7 });
    const client = new HyperstackClient(
      {
        provider: 'HYPERSTACK',
        displayName: 'Hyperstack',
        sourceId: 'hs',
        baseUrl: sim.baseUrl,
        timeoutMs: 2000,
        maxSockets: 4,
      },
      HYPERSTACK_SIM_KEY,
    );
    try {
      const loaders = createHyperstackLoaders(client);
      const window = { start: '2026-10-01T00:00:00', end: '2026-11-01T00:00:00' };
      const listed = sim.expected.listed('VIRTUAL_MACHINE', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z');
      const rows = await Promise.all(
        listed.map((r) => loaders.row.load({ kind: 'VIRTUAL_MACHINE', id: String(r.infrahubId), window })),
      );
      expect(rows.map((r) => r?.metrics.incurred_bill)).toEqual(
        listed.map((r) => sim.expected.incurredBill(r.infrahubId, '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z')),
      );
      expect(sim.requests.map((r) => r.query.page)).toEqual([
        '1',
        ...Array.from({ length: Math.ceil(listed.length / 7) - 1 }, (_, i) => String(i + 2)),
      ]);
      expect(sim.requests.every((r) => r.route === 'get_vm_billing_history' && r.query.per_page === '100')).toBe(true);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('Hyperstack simulator extensions (docs/upstreams/hyperstack.md#s10)', () => {
  const W = 'start_date=2026-10-01T00:00:00&end_date=2026-10-02T00:00:00';
  const getFrom = async (sim: HyperstackSimulator, path: string) => {
    const r = await fetch(`${sim.url}${path}`, { headers: { api_key: HYPERSTACK_SIM_KEY } });
    return { status: r.status, text: await r.text() };
  };
  const metricsOf = (text: string, key: string | null) => {
    const body = JSON.parse(text) as Record<string, unknown>;
    const payload = (key === null ? body : body[key]) as { billing_history: { metrics: Record<string, unknown> }[] };
    return Object.keys(payload.billing_history[0]!.metrics).sort();
  };

  it('answers only the published shapes by default: a void contract history, no point arrays, no token usage_time, /v1 only', async () => {
    const sim = await startHyperstackSimulator();
    try {
      const bucket = sim.data.resources.find((r) => r.kind === 'BUCKET')!;
      const inference = sim.data.resources.find((r) => r.kind === 'SERVERLESS_INFERENCE')!;
      expect(sim.extensions).toEqual({});
      expect(await getFrom(sim, `/v1/billing/billing/history/contract?${W}`)).toEqual({ status: 200, text: '' });
      // The arguments are still checked.
      expect((await getFrom(sim, '/v1/billing/billing/history/contract?start_date=x')).status).toBe(400);
      expect(
        metricsOf((await getFrom(sim, `/v1/billing/billing/history?${W}&graph=true`)).text, 'billing_history'),
      ).toEqual(['contract_cost', 'incurred_bill', 'non_discounted_bill', 'snapshot_cost', 'vm_cost', 'volume_cost']);
      expect(
        metricsOf(
          (await getFrom(sim, `/v1/billing/billing/history/bucket/${bucket.infrahubId}/graph?${W}`)).text,
          null,
        ),
      ).toEqual([
        'incurred_bill',
        'non_discounted_bill',
        'non_discounted_price_per_hour',
        'price_per_hour',
        'usage_time',
        'usage_time_ACTIVE',
        'usage_time_HIBERNATED',
        'usage_time_SHUTOFF',
      ]);
      const tokenKeys = [
        'incurred_bill',
        'input_tokens',
        'input_tokens_incurred_bill',
        'input_tokens_non_discounted_bill',
        'non_discounted_bill',
        'output_tokens',
        'output_tokens_incurred_bill',
        'output_tokens_non_discounted_bill',
      ];
      for (const path of ['', '/graph'])
        expect(
          metricsOf(
            (await getFrom(sim, `/v1/billing/billing/history/serverless_inference/${inference.infrahubId}${path}?${W}`))
              .text,
            'billing_history_serverless_inference_details',
          ),
        ).toEqual(tokenKeys);
      expect((await getFrom(sim, '/billing/billing/last-day-cost')).status).toBe(404);
      expect(sim.count({ route: 'get_last_day_cost' })).toBe(0);
      expect(() => sim.setExtensions({ routesWithoutV1: true })).toThrow(/fixed/);
    } finally {
      await sim.close();
    }
  });

  it('adds each extension when switched on, and serves the root paths when started with routesWithoutV1', async () => {
    const sim = await startHyperstackSimulator({ extensions: { routesWithoutV1: true } });
    try {
      const bucket = sim.data.resources.find((r) => r.kind === 'BUCKET')!;
      const inference = sim.data.resources.find((r) => r.kind === 'SERVERLESS_INFERENCE')!;
      sim.setExtensions({ ...HYPERSTACK_ALL_EXTENSIONS });
      const contracts = JSON.parse((await getFrom(sim, `/billing/billing/history/contract?${W}`)).text) as {
        status: boolean;
        billing_history_contract: { total_count: number };
      };
      expect(contracts.status).toBe(true);
      expect(contracts.billing_history_contract.total_count).toBe(
        sim.data.resources.filter((r) => r.kind === 'CONTRACT').length,
      );
      expect(
        metricsOf((await getFrom(sim, `/v1/billing/billing/history?${W}&graph=true`)).text, 'billing_history'),
      ).toContain('incurred_bill_graph');
      expect(
        metricsOf((await getFrom(sim, `/billing/billing/history/bucket/${bucket.infrahubId}/graph?${W}`)).text, null),
      ).toContain('incurred_bill_graph');
      const token = metricsOf(
        (await getFrom(sim, `/v1/billing/billing/history/serverless_inference/${inference.infrahubId}/graph?${W}`))
          .text,
        'billing_history_serverless_inference_details',
      );
      expect(token).toContain('incurred_bill_graph');
      expect(token).toContain('usage_time');
      sim.setExtensions({ routesWithoutV1: true, incurredBillGraph: true });
      expect(
        metricsOf(
          (await getFrom(sim, `/v1/billing/billing/history/serverless_inference/${inference.infrahubId}?${W}`)).text,
          'billing_history_serverless_inference_details',
        ),
      ).not.toContain('usage_time');
      expect(sim.count({ route: 'get_user_billing_history' })).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
