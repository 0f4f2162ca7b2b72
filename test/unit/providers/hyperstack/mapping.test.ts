import { describe, expect, it } from 'vitest';
import type { Granularity } from '../../../../src/generated/resolvers.js';
import { BadUserInputError } from '../../../../src/errors.js';
import { splitWindow } from '../../../../src/lib/buckets.js';
import { decodeId } from '../../../../src/lib/ids.js';
import { validateWindow } from '../../../../src/lib/timeWindow.js';
import type { SourceModel } from '../../../../src/models.js';
import { NO_PRICES, type PointOrigin } from '../../../../src/providers/bucketPoint.js';
import type { BucketedWindow } from '../../../../src/providers/types.js';
import type {
  EventDto,
  PointDto,
  RowDto,
  SubResourceRowDto,
  ThresholdDto,
  UsageDto,
} from '../../../../src/providers/hyperstack/client.js';
import {
  bucketPoints,
  costPoint,
  CURRENCY,
  dec,
  FINALISATION_LAG_MS,
  HS_KINDS,
  isFinalBucket,
  isHsKind,
  parseHsDate,
  resourceModel,
  sumRows,
  toAccount,
  toBilling,
  toClusterBilling,
  toEvent,
  toHsWindow,
  toResource,
  toSubResourceCosts,
  toThreshold,
  toTokenBilling,
  toUsage,
  usd,
} from '../../../../src/providers/hyperstack/mapping.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const source: SourceModel = { id: 'hs', provider: 'HYPERSTACK', name: 'Hyperstack' };
const ORG = '1042';
const ms = (iso: string): number => Date.parse(iso);

const bucketed = (start: string, end: string, granularity: Granularity, timeZone = 'UTC'): BucketedWindow => {
  const window = validateWindow({ start, end, timeZone }, limits);
  return { window, granularity, buckets: splitWindow(window, granularity, limits) };
};
const origin = (now: number): PointOrigin => ({
  source,
  prices: NO_PRICES,
  accountProviderId: ORG,
  resource: null,
  now,
  isFinalBucket,
});
const point = (datetime: string, value: string): PointDto => ({ datetime, value });
const row = (attributes: RowDto['attributes'] = {}, metrics: RowDto['metrics'] = {}): RowDto => ({
  attributes,
  metrics,
});

/** The error bucketPoints throws, or a failure when it throws none. */
const refusal = (run: () => unknown): BadUserInputError => {
  try {
    run();
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error('expected a BAD_USER_INPUT refusal');
};

describe('dec and usd', () => {
  it('keeps a decimal beyond 2^53 with a long fraction digit for digit', () => {
    expect(dec('9007199254740993.000000000000000001')).toBe('9007199254740993.000000000000000001');
  });

  it('expands an exponent into plain digits', () => {
    expect(dec('1.5e-7')).toBe('0.00000015');
    expect(dec('2E3')).toBe('2000');
  });

  it('gives null for a missing, null or non-numeric literal', () => {
    expect([dec(null), dec(undefined), dec('abc'), dec('')]).toEqual([null, null, null, null]);
  });

  it('makes USD money of an amount and null of no amount', () => {
    expect(CURRENCY).toBe('USD');
    expect(usd('0.10')).toEqual({ amount: '0.10', currency: 'USD' });
    expect(usd(null)).toBeNull();
    expect(usd(undefined)).toBeNull();
  });
});

describe('isFinalBucket', () => {
  it('is false until one hour after the bucket end and true from that instant on', () => {
    const end = ms('2026-10-02T00:00:00Z');
    expect(FINALISATION_LAG_MS).toBe(3_600_000);
    expect(isFinalBucket(end, end + 3_599_999)).toBe(false);
    expect(isFinalBucket(end, end + 3_600_000)).toBe(true);
  });
});

describe('toHsWindow', () => {
  it('writes both edges as zone-less UTC date-times and floors sub-second edges', () => {
    expect(toHsWindow(ms('2026-10-01T00:00:00Z'), ms('2026-10-02T13:45:10.999Z'))).toEqual({
      start: '2026-10-01T00:00:00',
      end: '2026-10-02T13:45:10',
    });
  });
});

describe('parseHsDate', () => {
  it('reads a date-time without a zone as UTC, with a T or a space', () => {
    expect(parseHsDate('2026-10-01T10:00:00')).toBe(ms('2026-10-01T10:00:00Z'));
    expect(parseHsDate('2026-10-01 10:00:00')).toBe(ms('2026-10-01T10:00:00Z'));
  });

  it('reads Z in either case and offsets with or without a colon', () => {
    expect(parseHsDate('2026-10-01T10:00:00Z')).toBe(ms('2026-10-01T10:00:00Z'));
    expect(parseHsDate('2026-10-01t10:00:00z')).toBe(ms('2026-10-01T10:00:00Z'));
    expect(parseHsDate('2026-10-01T12:00:00+02:00')).toBe(ms('2026-10-01T10:00:00Z'));
    expect(parseHsDate('2026-10-01T15:30:00+0530')).toBe(ms('2026-10-01T10:00:00Z'));
    expect(parseHsDate('2026-10-01T05:00:00-0500')).toBe(ms('2026-10-01T10:00:00Z'));
  });

  it('keeps a fraction of a second and ignores surrounding whitespace', () => {
    expect(parseHsDate('2026-10-01T10:00:00.250')).toBe(ms('2026-10-01T10:00:00.250Z'));
    expect(parseHsDate('2026-10-01T10:00:00.123456+00:00')).toBe(ms('2026-10-01T10:00:00.123Z'));
    expect(parseHsDate('  2026-10-01T10:00:00Z \n')).toBe(ms('2026-10-01T10:00:00Z'));
  });

  it('gives null for a missing, empty or malformed date', () => {
    for (const value of [
      null,
      undefined,
      '',
      '2026-10-01',
      '2026-10-01T10:00',
      '01/10/2026 10:00:00',
      '2026-10-01T10:00:00 UTC',
      '2026-13-01T10:00:00',
      '2026-10-01T25:00:00',
    ]) {
      expect(parseHsDate(value)).toBeNull();
    }
  });

  it('gives null for a day the month does not have, instead of rolling it into the next month', () => {
    expect(parseHsDate('2026-02-30T00:00:00')).toBeNull();
    expect(parseHsDate('2026-04-31 10:00:00')).toBeNull();
    expect(parseHsDate('2026-02-29T00:00:00')).toBeNull();
    expect(parseHsDate('2028-02-29T00:00:00')).toBe(ms('2028-02-29T00:00:00Z'));
  });
});

describe('toAccount', () => {
  it('names the organisation after its id and encodes it in the account id', () => {
    const account = toAccount(source, ORG);
    expect(account).toMatchObject({
      __typename: 'Account',
      providerId: ORG,
      name: 'Hyperstack organization 1042',
    });
    expect(account.source).toBe(source);
    expect(decodeId(account.id)).toEqual({ kind: 'Account', sourceId: 'hs', parts: [ORG] });
  });
});

describe('isHsKind and HS_KINDS', () => {
  it('knows the ten kinds and nothing inherited from Object', () => {
    expect(HS_KINDS).toHaveLength(10);
    expect(HS_KINDS.every(isHsKind)).toBe(true);
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'virtual_machine', 'VM', '']) {
      expect(isHsKind(type)).toBe(false);
    }
  });
});

describe('toResource', () => {
  it('maps a VM list row, its id encoding kind and infrahub_id', () => {
    const resource = toResource(
      source,
      ORG,
      'VIRTUAL_MACHINE',
      row({ id: 'b3c6-uuid', infrahub_id: '5001', resource_name: 'trainer', status: 'ACTIVE', contract_id: '77' }),
    );
    expect(resource).toMatchObject({
      __typename: 'HyperstackVirtualMachine',
      type: 'VIRTUAL_MACHINE',
      providerId: '5001',
      accountProviderId: ORG,
      name: 'trainer',
      uuid: 'b3c6-uuid',
      status: 'ACTIVE',
      contractId: '77',
      baseModel: null,
      baseModelDisplayName: null,
      loraAdapter: null,
      gpuType: null,
    });
    expect(resource?.source).toBe(source);
    expect(decodeId(resource!.id)).toEqual({ kind: 'Resource', sourceId: 'hs', parts: ['VIRTUAL_MACHINE', '5001'] });
  });

  it('gives each kind its GraphQL type, the three token workloads sharing one', () => {
    const typenames = HS_KINDS.map((kind) => [
      kind,
      toResource(source, ORG, kind, row({ infrahub_id: '1' }))?.__typename,
    ]);
    expect(Object.fromEntries(typenames)).toEqual({
      VIRTUAL_MACHINE: 'HyperstackVirtualMachine',
      VOLUME: 'HyperstackVolume',
      SNAPSHOT: 'HyperstackSnapshot',
      BUCKET: 'HyperstackBucket',
      CLUSTER: 'HyperstackCluster',
      FINE_TUNING: 'HyperstackFineTuning',
      MODEL_EVALUATION: 'HyperstackTokenWorkload',
      SERVERLESS_INFERENCE: 'HyperstackTokenWorkload',
      DATA_SYNTHESIS: 'HyperstackTokenWorkload',
      CONTRACT: 'HyperstackContract',
    });
  });

  it('names a contract after its description, not a resource name', () => {
    const contract = toResource(
      source,
      ORG,
      'CONTRACT',
      row({ infrahub_id: '9', description: '8x H100 reserved', resource_name: 'ignored', gpu_type: 'H100' }),
    );
    expect([contract?.name, contract?.gpuType]).toEqual(['8x H100 reserved', 'H100']);
    expect(toResource(source, ORG, 'CONTRACT', row({ infrahub_id: '9', resource_name: 'ignored' }))?.name).toBeNull();
  });

  it('maps the model fields of a token workload', () => {
    const workload = toResource(
      source,
      ORG,
      'SERVERLESS_INFERENCE',
      row({
        infrahub_id: '12',
        base_model: 'llama-3-70b',
        base_model_display_name: 'Llama 3 70B',
        lora_adapter: 'support-bot',
      }),
    );
    expect([workload?.baseModel, workload?.baseModelDisplayName, workload?.loraAdapter, workload?.type]).toEqual([
      'llama-3-70b',
      'Llama 3 70B',
      'support-bot',
      'SERVERLESS_INFERENCE',
    ]);
  });

  it('gives no resource for a row without an infrahub_id', () => {
    expect(toResource(source, ORG, 'VOLUME', row({ resource_name: 'orphan' }))).toBeNull();
    expect(toResource(source, ORG, 'VOLUME', row({ infrahub_id: null }))).toBeNull();
  });
});

describe('resourceModel', () => {
  it('fills fields not given with null', () => {
    const model = resourceModel(source, ORG, 'BUCKET', '3', { name: 'logs' });
    expect([model.name, model.uuid, model.status, model.contractId, model.gpuType]).toEqual([
      'logs',
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('toBilling', () => {
  it('maps every billing figure of a details row digit for digit, money in USD', () => {
    const billing = toBilling(
      row(
        { status: 'ACTIVE', subresource_type: 'ssd', subresource_amount: '500' },
        {
          price_per_hour: '2.4',
          non_discounted_price_per_hour: '3.0',
          incurred_bill: '9007199254740993.123456789',
          non_discounted_bill: '1e2',
          usage_time: '12.5',
          usage_time_ACTIVE: '10',
          usage_time_SHUTOFF: '2.5',
          usage_time_HIBERNATED: '0',
        },
      ),
    );
    expect(billing).toEqual({
      status: 'ACTIVE',
      pricePerHour: { amount: '2.4', currency: 'USD' },
      nonDiscountedPricePerHour: { amount: '3.0', currency: 'USD' },
      incurredBill: { amount: '9007199254740993.123456789', currency: 'USD' },
      nonDiscountedBill: { amount: '100', currency: 'USD' },
      usageTime: '12.5',
      usageTimeActive: '10',
      usageTimeShutoff: '2.5',
      usageTimeHibernated: '0',
      subresourceType: 'ssd',
      subresourceAmount: 500,
    });
  });

  it('leaves absent figures null rather than zero', () => {
    const billing = toBilling(row());
    expect(Object.values(billing).every((v) => v === null)).toBe(true);
    expect(Object.keys(billing)).toHaveLength(11);
  });

  it('gives a sub-resource amount beyond 2^53 null rather than a rounded number', () => {
    expect(toBilling(row({ subresource_amount: '9007199254740993' })).subresourceAmount).toBeNull();
  });
});

describe('sumRows', () => {
  it('gives null for no rows and the row itself for one', () => {
    const only = row({ infrahub_id: '1' }, { incurred_bill: '1.5' });
    expect(sumRows([])).toBeNull();
    expect(sumRows([only])).toBe(only);
  });

  it('sums bills, usage times and tokens exactly over several rows', () => {
    const sum = sumRows([
      row({ infrahub_id: '1' }, { incurred_bill: '0.1', usage_time: '9007199254740993', input_tokens: '5' }),
      row({ infrahub_id: '1' }, { incurred_bill: '0.2', usage_time: '1', output_tokens: '7' }),
    ]);
    expect(sum?.metrics.incurred_bill).toBe('0.3');
    expect(sum?.metrics.usage_time).toBe('9007199254740994');
    expect(sum?.metrics.input_tokens).toBe('5');
    expect(sum?.metrics.output_tokens).toBe('7');
  });

  it('keeps a figure no row has null, not zero', () => {
    const sum = sumRows([row({}, { incurred_bill: '1' }), row({}, { incurred_bill: '2' })]);
    expect(sum?.metrics.non_discounted_bill).toBeNull();
    expect(sum?.metrics.usage_time_ACTIVE).toBeNull();
  });

  it('keeps the first row’s attributes and hourly price, which are not additive', () => {
    const sum = sumRows([
      row({ infrahub_id: '1', status: 'ACTIVE' }, { price_per_hour: '2.4', incurred_bill: '1' }),
      row({ infrahub_id: '2', status: 'SHUTOFF' }, { price_per_hour: '9.9', incurred_bill: '1' }),
    ]);
    expect(sum?.attributes).toEqual({ infrahub_id: '1', status: 'ACTIVE' });
    expect(sum?.metrics.price_per_hour).toBe('2.4');
  });

  it('concatenates the rows’ bill graphs in row order', () => {
    const a = point('2026-10-01T00:00:00', '1');
    const b = point('2026-10-01T01:00:00', '2');
    const sum = sumRows([row({}, { incurred_bill_graph: [a] }), row({}, {}), row({}, { incurred_bill_graph: [b] })]);
    expect(sum?.metrics.incurred_bill_graph).toEqual([a, b]);
  });
});

describe('toTokenBilling', () => {
  it('maps tokens as decimals and the token bills as USD', () => {
    const billing = toTokenBilling(
      row(
        { status: 'ACTIVE' },
        {
          incurred_bill: '4.2',
          input_tokens: '123456789012345678901',
          output_tokens: '42',
          input_tokens_incurred_bill: '0.000001',
          output_tokens_non_discounted_bill: '0.5',
        },
      ),
    );
    expect(billing).toEqual({
      status: 'ACTIVE',
      incurredBill: { amount: '4.2', currency: 'USD' },
      nonDiscountedBill: null,
      usageTime: null,
      inputTokens: '123456789012345678901',
      outputTokens: '42',
      inputTokensIncurredBill: { amount: '0.000001', currency: 'USD' },
      inputTokensNonDiscountedBill: null,
      outputTokensIncurredBill: null,
      outputTokensNonDiscountedBill: { amount: '0.5', currency: 'USD' },
    });
  });
});

describe('toClusterBilling', () => {
  it('maps the cluster figures and each node', () => {
    const cluster: RowDto = {
      ...row({ status: 'ACTIVE' }, { price_per_hour: '10', incurred_bill: '240', usage_time: '24' }),
      nodes: [
        row(
          { infrahub_id: '71', id: 'n-uuid', resource_name: 'worker-1', status: 'ACTIVE', contract_id: '5' },
          { price_per_hour: '5', incurred_bill: '120', usage_time: '24' },
        ),
      ],
    };
    expect(toClusterBilling(cluster)).toEqual({
      status: 'ACTIVE',
      pricePerHour: { amount: '10', currency: 'USD' },
      incurredBill: { amount: '240', currency: 'USD' },
      usageTime: '24',
      nodes: [
        {
          providerId: '71',
          uuid: 'n-uuid',
          name: 'worker-1',
          status: 'ACTIVE',
          contractId: '5',
          pricePerHour: { amount: '5', currency: 'USD' },
          incurredBill: { amount: '120', currency: 'USD' },
          usageTime: '24',
        },
      ],
    });
  });

  it('gives a cluster without nodes an empty list and a node without fields nulls', () => {
    expect(toClusterBilling(row()).nodes).toEqual([]);
    expect(toClusterBilling({ ...row(), nodes: null }).nodes).toEqual([]);
    const [node] = toClusterBilling({ ...row(), nodes: [row()] }).nodes;
    expect(node).toEqual({
      providerId: '',
      uuid: null,
      name: null,
      status: null,
      contractId: null,
      pricePerHour: null,
      incurredBill: null,
      usageTime: null,
    });
  });
});

describe('toEvent', () => {
  it('maps an event, its start normalised to an RFC 3339 instant', () => {
    const dto: EventDto = {
      start: '2026-10-01 12:00:00+0200',
      event: 'ACTIVE',
      event_duration: '1.5',
      price_per_hour: '2.4',
      total_cost: '3.60',
    };
    expect(toEvent(dto)).toEqual({
      start: '2026-10-01T10:00:00Z',
      event: 'ACTIVE',
      duration: '1.5',
      pricePerHour: { amount: '2.4', currency: 'USD' },
      totalCost: { amount: '3.60', currency: 'USD' },
    });
  });

  it('gives an unreadable or missing start and missing figures null', () => {
    expect(toEvent({ start: 'soon' })).toEqual({
      start: null,
      event: null,
      duration: null,
      pricePerHour: null,
      totalCost: null,
    });
  });
});

describe('toSubResourceCosts', () => {
  it('maps the six totals to USD, publicip as publicIp, absent ones null', () => {
    const dto: SubResourceRowDto = {
      granularity: 3600,
      totals: { gpu: '10.5', cpu: '1', ram: '0.25', publicip: null, disk: '0.000000000000000001', ephemeral: null },
      graphs: { gpu: [], cpu: [], ram: [], publicip: [], disk: [], ephemeral: [] },
    };
    expect(toSubResourceCosts(dto)).toEqual({
      gpu: { amount: '10.5', currency: 'USD' },
      cpu: { amount: '1', currency: 'USD' },
      ram: { amount: '0.25', currency: 'USD' },
      publicIp: null,
      disk: { amount: '0.000000000000000001', currency: 'USD' },
      ephemeral: null,
    });
  });
});

describe('toUsage', () => {
  const usage = (overrides: Partial<UsageDto> = {}): UsageDto => ({
    resource_id: '5001',
    resource_type: 'virtual_machine',
    name: 'trainer',
    organization_id: ORG,
    bill_per_minute: '0.04',
    create_time: '2026-09-01T08:00:00',
    terminate_time: null,
    total_up_time: '43200',
    total_bill: '1728.000000000000000001',
    active: true,
    exclude_billing: false,
    ...overrides,
  });

  it('leaves a row unlinked when its type is the name of a built-in object property', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(toUsage(source, ORG, usage({ resource_type: type }))?.resource).toBeNull();
    }
  });

  it('maps a usage row and links it to the resource of its type', () => {
    const model = toUsage(source, ORG, usage());
    expect(model).toMatchObject({
      resourceId: '5001',
      resourceType: 'virtual_machine',
      name: 'trainer',
      organizationId: ORG,
      billPerMinute: { amount: '0.04', currency: 'USD' },
      createdAt: '2026-09-01T08:00:00Z',
      terminatedAt: null,
      totalUpTimeMinutes: '43200',
      totalBill: { amount: '1728.000000000000000001', currency: 'USD' },
      active: true,
      excludeBilling: false,
    });
    expect(model?.resource?.__typename).toBe('HyperstackVirtualMachine');
    expect(model?.resource?.name).toBe('trainer');
    expect(model?.resource?.status).toBeNull();
    expect(decodeId(model!.resource!.id)).toEqual({
      kind: 'Resource',
      sourceId: 'hs',
      parts: ['VIRTUAL_MACHINE', '5001'],
    });
  });

  it('links each proposed resource type to its kind', () => {
    const kinds = ['virtual_machine', 'volume', 'snapshot', 'bucket', 'cluster'].map(
      (resource_type) => toUsage(source, ORG, usage({ resource_type }))?.resource?.type,
    );
    expect(kinds).toEqual(['VIRTUAL_MACHINE', 'VOLUME', 'SNAPSHOT', 'BUCKET', 'CLUSTER']);
  });

  it('marks the linked resource of an inactive row DELETED', () => {
    expect(toUsage(source, ORG, usage({ active: false }))?.resource?.status).toBe('DELETED');
  });

  it('leaves an unknown or missing resource type unlinked but keeps the row', () => {
    for (const resource_type of ['gpu_cluster', 'VIRTUAL_MACHINE', '', null]) {
      const model = toUsage(source, ORG, usage({ resource_type }));
      expect(model?.resourceId).toBe('5001');
      expect(model?.resource).toBeNull();
    }
    expect(toUsage(source, ORG, usage({ resource_type: 'gpu_cluster' }))?.resourceType).toBe('gpu_cluster');
  });

  it('drops a row without a resource id', () => {
    expect(toUsage(source, ORG, usage({ resource_id: null }))).toBeNull();
    expect(toUsage(source, ORG, usage({ resource_id: undefined }))).toBeNull();
  });

  it('gives every missing optional field null', () => {
    expect(toUsage(source, ORG, { resource_id: '1' })).toEqual({
      resourceId: '1',
      resourceType: null,
      resource: null,
      name: null,
      organizationId: null,
      billPerMinute: null,
      createdAt: null,
      terminatedAt: null,
      totalUpTimeMinutes: null,
      totalBill: null,
      active: null,
      excludeBilling: null,
    });
  });
});

describe('toThreshold', () => {
  const threshold = (overrides: Partial<ThresholdDto> = {}): ThresholdDto => ({
    id: '3',
    threshold: '24',
    interface_title: 'One day left',
    interface_tooltip: 'Mail me a day before my credit runs out',
    subscribed: true,
    ...overrides,
  });

  it('maps a threshold, its id encoding the threshold id', () => {
    const model = toThreshold(source, threshold());
    expect(model).toMatchObject({
      __typename: 'BillingThreshold',
      hoursBefore: 24,
      title: 'One day left',
      tooltip: 'Mail me a day before my credit runs out',
      subscribed: true,
    });
    expect(model.source).toBe(source);
    expect(decodeId(model.id)).toEqual({ kind: 'BillingThreshold', sourceId: 'hs', parts: ['3'] });
  });

  it('gives missing title and tooltip null and keeps an unsubscribed flag', () => {
    const model = toThreshold(
      source,
      threshold({ interface_title: null, interface_tooltip: undefined, subscribed: false }),
    );
    expect([model.title, model.tooltip, model.subscribed]).toEqual([null, null, false]);
  });
});

describe('costPoint', () => {
  it('makes a USD point whose quantity and cost are the same amount', () => {
    const window = bucketed('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 'TOTAL');
    const p = costPoint(window.buckets[0]!, 'incurred_bill', '12.50', origin(0));
    expect([p.metric, p.quantity, p.unit, p.cost?.amount, p.cost?.currency]).toEqual([
      'incurred_bill',
      '12.50',
      'USD',
      '12.50',
      'USD',
    ]);
  });
});

describe('bucketPoints', () => {
  const day = bucketed('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z', 'DAY');
  const end = ms('2026-10-03T00:00:00Z');

  it('sums hourly points into UTC days exactly and gives a day without points an explicit zero', () => {
    const points = bucketPoints(
      [point('2026-10-01T00:00:00', '0.1'), point('2026-10-01T23:00:00', '0.2')],
      3600,
      day,
      'incurred_bill',
      origin(end),
    );
    expect(points.map((p) => [p.start, p.end, p.quantity, p.cost?.amount, p.cost?.currency, p.unit])).toEqual([
      ['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', '0.3', '0.3', 'USD', 'USD'],
      ['2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z', '0', '0', 'USD', 'USD'],
    ]);
    expect(points.every((p) => p.metric === 'incurred_bill' && p.accountProviderId === ORG)).toBe(true);
  });

  it('keeps a lone value beyond 2^53 digit for digit and sums large values exactly', () => {
    const points = bucketPoints(
      [
        point('2026-10-01T05:00:00Z', '9007199254740993.000000000000000001'),
        point('2026-10-02T05:00:00Z', '9007199254740993'),
        point('2026-10-02T06:00:00Z', '1e-18'),
      ],
      3600,
      day,
      'incurred_bill',
      origin(end),
    );
    expect(points.map((p) => p.quantity)).toEqual([
      '9007199254740993.000000000000000001',
      '9007199254740993.000000000000000001',
    ]);
  });

  it('takes points as hourly when the graph does not say its granularity', () => {
    const hour = bucketed('2026-10-01T00:00:00Z', '2026-10-01T02:00:00Z', 'HOUR');
    const points = bucketPoints([point('2026-10-01T01:00:00', '4')], null, hour, 'bill', origin(end));
    expect(points.map((p) => p.quantity)).toEqual(['0', '4']);
  });

  it('ignores points wholly outside the window asked and clips one that starts before it', () => {
    const window = bucketed('2026-10-01T00:30:00Z', '2026-10-01T02:00:00Z', 'HOUR');
    const points = bucketPoints(
      [
        point('2026-09-30T23:00:00', '100'),
        point('2026-10-01T00:00:00', '1'),
        point('2026-10-01T01:00:00', '2'),
        point('2026-10-01T02:00:00', '300'),
      ],
      3600,
      window,
      'bill',
      origin(end),
    );
    expect(points.map((p) => [p.start, p.quantity])).toEqual([
      ['2026-10-01T00:30:00Z', '1'],
      ['2026-10-01T01:00:00Z', '2'],
    ]);
  });

  it('skips a point whose date cannot be read instead of guessing its bucket', () => {
    const points = bucketPoints(
      [point('yesterday', '5'), point('2026-10-01T03:00:00', '1')],
      3600,
      day,
      'bill',
      origin(end),
    );
    expect(points.map((p) => p.quantity)).toEqual(['1', '0']);
  });

  it('fits daily points into UTC days, UTC months and the total', () => {
    const daily = [point('2026-10-01T00:00:00', '1.5'), point('2026-10-02T00:00:00', '2.5')];
    expect(bucketPoints(daily, 86_400, day, 'bill', origin(end)).map((p) => p.quantity)).toEqual(['1.5', '2.5']);
    const month = bucketed('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'MONTH');
    expect(bucketPoints(daily, 86_400, month, 'bill', origin(end)).map((p) => p.quantity)).toEqual(['4']);
    const total = bucketed('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z', 'TOTAL', 'Europe/Madrid');
    expect(bucketPoints(daily, 86_400, total, 'bill', origin(end)).map((p) => p.quantity)).toEqual(['4']);
  });

  it('refuses a daily point under HOUR buckets and says which granularities to ask instead', () => {
    const hour = bucketed('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 'HOUR');
    const error = refusal(() => bucketPoints([point('2026-10-01T00:00:00', '1')], 86_400, hour, 'bill', origin(end)));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'granularity' });
    expect(error.message).toBe(
      'Argument "granularity" HOUR cannot be answered exactly: Hyperstack returned 86400-second graph points, and the one from 2026-10-01T00:00:00Z crosses a bucket boundary (billgraph never splits a point); use granularity DAY/WEEK/MONTH/TOTAL with timeZone "UTC".',
    );
  });

  it('refuses a daily point under DAY buckets of a zone whose midnights are not UTC midnights', () => {
    const madrid = bucketed('2026-09-30T22:00:00Z', '2026-10-02T22:00:00Z', 'DAY', 'Europe/Madrid');
    const error = refusal(() => bucketPoints([point('2026-10-01T00:00:00', '1')], 86_400, madrid, 'bill', origin(end)));
    expect(error.message).toContain('Argument "granularity" DAY in time zone Europe/Madrid cannot be answered exactly');
    expect(error.message).toContain('the one from 2026-10-01T00:00:00Z crosses a bucket boundary');
    expect(error.message).toMatch(/; use granularity DAY\/WEEK\/MONTH\/TOTAL with timeZone "UTC"\.$/);
  });

  it('does not offer the granularity that failed when a daily point straddles UTC days', () => {
    const error = refusal(() => bucketPoints([point('2026-10-01T12:00:00', '1')], 86_400, day, 'bill', origin(end)));
    expect(error.message).toMatch(/^Argument "granularity" DAY cannot be answered exactly:/);
    expect(error.message).toMatch(/; use granularity WEEK\/MONTH\/TOTAL with timeZone "UTC"\.$/);
  });

  it('advises a whole-hour zone or TOTAL when hourly points straddle half-hour-offset days', () => {
    const kolkata = bucketed('2026-09-30T18:30:00Z', '2026-10-02T18:30:00Z', 'DAY', 'Asia/Kolkata');
    const error = refusal(() => bucketPoints([point('2026-10-01T18:00:00', '1')], 3600, kolkata, 'bill', origin(end)));
    expect(error.message).toContain('Hyperstack returned 3600-second graph points');
    expect(error.message).toMatch(
      /; use timeZone "UTC" \(or another zone with a whole-hour offset\), or granularity TOTAL\.$/,
    );
  });

  it('advises only TOTAL when points are longer than a day', () => {
    const error = refusal(() => bucketPoints([point('2026-10-01T00:00:00', '1')], 172_800, day, 'bill', origin(end)));
    expect(error.message).toContain('Hyperstack returned 172800-second graph points');
    expect(error.message).toMatch(/; use granularity TOTAL\.$/);
  });

  it('marks its points final one hour after each bucket ends', () => {
    const firstEnd = ms('2026-10-02T00:00:00Z');
    const before = bucketPoints([], 3600, day, 'bill', origin(firstEnd + FINALISATION_LAG_MS - 1));
    const at = bucketPoints([], 3600, day, 'bill', origin(firstEnd + FINALISATION_LAG_MS));
    expect(before.map((p) => p.isFinal)).toEqual([false, false]);
    expect(at.map((p) => p.isFinal)).toEqual([true, false]);
  });
});
