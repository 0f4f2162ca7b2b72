// The OpenvCloud simulator's world: seeded accounts → cloudspaces → machines, and the
// consumption model that billing/calculate reports for it (docs/upstreams/openvcloud.md#units,
// docs/upstreams/openvcloud.md#sim-4, docs/upstreams/openvcloud.md#sim-5). Everything here is pure, so tests can
// compute the expected answer.
//
// Consumption model, assumed (G8 does not document it):
// - Every quantity is an integer number of micro-units (10^-6) held in a BigInt, so a parent is
//   the exact decimal sum of its children and no float ever touches a value.
// - Each machine has a constant rate per hour, floored to whole micro-units (docs/upstreams/openvcloud.md#o9):
//     CU = max(memoryMB / 4096, vcpus / 2)     (1 CU = 4 GiB memory and 2 vCPUs)
//     SU = storageGB / 1024                     (1 SU = 1 TiB; G8 disk sizes are binary GB)
//     TU = iops / 400                           (1 TU = 400 allocated IOPS)
//   and each cloudspace has an NU rate (TB of traffic per hour) from a seeded weekly series.
// - Consumption is integrated per clock hour: hour h contributes
//     floor(rate(h) × seconds of [start, end) ∩ lifetime inside h / 3600)
//   so windows split at whole hours add up exactly, and a steady allocation scales linearly.
// - A machine lives in [creationTime, deletionTime); deleted machines still bill while alive.
// - Values print as G8's reference page shows them (docs/upstreams/openvcloud.md#switches): up to
//   six decimals without trailing zeros, at least one (a Python float's form: `1.202324`,
//   `11904.0`); `paddedDecimals` pads every value to exactly six. The archive machine's storage is
//   ~96 TiB, so every value fits a double; `beyondDoublePrecision` makes it ~92 EiB, whose SU
//   totals need 17 significant digits.

import { seededStream } from '../prng.js';

export const OPENVCLOUD_DEFAULT_SEED = 0x349f2246;

/** Name of account 1's machine whose 92 EiB allocation pushes SU totals past float64 precision. */
export const OPENVCLOUD_ARCHIVE_MACHINE_NAME = 'Voyager golden archive';

const MICRO = 1_000_000n;
const HOUR = 3600n;
const WEEK_HOURS = 168;

export interface OpenvcloudAce {
  userGroupId: string;
  /** U = user, G = group. */
  type: 'U' | 'G';
  /** Rights letters, e.g. `R`, `RCX`, `ACDRUX`. */
  right: string;
  status: 'CONFIRMED' | 'INVITED';
  explicit: boolean;
}

export interface OpenvcloudAccount {
  id: number;
  name: string;
  status: 'CONFIRMED' | 'DISABLED';
  acl: OpenvcloudAce[];
  /** Epoch seconds. */
  creationTime: number;
  /** Epoch seconds. */
  updateTime: number;
}

export interface OpenvcloudCloudspace {
  id: number;
  accountId: number;
  name: string;
  descr: string;
  status: 'DEPLOYED' | 'DELETED';
  type: string;
  externalnetworkip: string;
  publicipaddress: string;
  location: string;
  gid: number;
  networkId: number;
  acl: OpenvcloudAce[];
  /** Epoch seconds. */
  creationTime: number;
  /** Epoch seconds. */
  updateTime: number;
  /** Epoch seconds; null while the cloudspace exists. */
  deletionTime: number | null;
  /** NU rate in micro-TB per hour for each hour of the week, indexed by (epochHour mod 168). */
  trafficWeekMicroTB: readonly number[];
}

export interface OpenvcloudNic {
  ipAddress: string;
  macAddress: string;
  type: 'bridge' | 'PUBLIC';
  networkId: number;
  status: 'ACTIVE';
  deviceName: string;
  referenceId: string;
  params: string;
}

export interface OpenvcloudMachine {
  id: number;
  cloudspaceId: number;
  name: string;
  hostname: string;
  referenceId: string;
  imageId: number;
  sizeId: number;
  stackId: number;
  status: 'RUNNING' | 'HALTED';
  /** Memory in MB (MiB). */
  memory: number;
  vcpus: number;
  /** Sum of disk sizes in GB (GiB). */
  storage: number;
  /** Sum of the disks' IOPS limits. */
  iops: number;
  disks: number[];
  nics: OpenvcloudNic[];
  /** Epoch seconds. */
  creationTime: number;
  /** Epoch seconds. */
  updateTime: number;
  /** Epoch seconds; null while the machine exists. Deleted machines are not listed but still bill. */
  deletionTime: number | null;
}

export interface OpenvcloudData {
  seed: number;
  accounts: OpenvcloudAccount[];
  cloudspaces: OpenvcloudCloudspace[];
  machines: OpenvcloudMachine[];
}

/** Micro-units per hour. */
export interface MachineRates {
  CU: bigint;
  SU: bigint;
  TU: bigint;
}

/**
 * Decimal strings: up to six decimals, trailing zeros dropped but one kept (`"12.3456"`,
 * `"11904.0"`); with `paddedDecimals` exactly six (`"12.345600"`).
 */
export interface MachineConsumption {
  CU: string;
  SU: string;
  TU: string;
}

export interface CloudspaceConsumption extends MachineConsumption {
  NU: string;
}

export interface CalculateMachine {
  id: number;
  name: string;
  consumption: MachineConsumption;
}

export interface CalculateCloudspace {
  id: number;
  name: string;
  /** Keyed by String(machine id); machines with no consumption in the window are omitted. */
  machines: Record<string, CalculateMachine>;
  consumption: CloudspaceConsumption;
}

export interface CalculateAccountResult {
  account: {
    id: number;
    name: string;
    /** Keyed by String(cloudspace id); cloudspaces with no consumption in the window are omitted. */
    cloudspaces: Record<string, CalculateCloudspace>;
    consumption: CloudspaceConsumption;
  };
}

export interface CalculateTotalResult {
  consumption: CloudspaceConsumption;
}

/** Behaviours beyond G8's published numbers (the simulator's `extensions`), each off by default. */
export interface OpenvcloudPrecision {
  /** Every value printed with exactly six decimals. @default false */
  readonly paddedDecimals?: boolean;
  /** The archive machine's storage pushes SU totals past double precision. @default false */
  readonly beyondDoublePrecision?: boolean;
}

/** The archive machine's storage in GB: ~92 EiB with `beyondDoublePrecision`, else ~96 TiB. */
export const ARCHIVE_STORAGE_GB = { beyondDoublePrecision: 98_765_432_109, default: 98_765 } as const;

const t = (iso: string) => Date.parse(iso) / 1000;

const SIZES = [
  { sizeId: 1, memory: 512, vcpus: 1 },
  { sizeId: 2, memory: 1024, vcpus: 1 },
  { sizeId: 3, memory: 1536, vcpus: 1 },
  { sizeId: 4, memory: 2048, vcpus: 2 },
  { sizeId: 5, memory: 4096, vcpus: 2 },
  { sizeId: 6, memory: 5000, vcpus: 1 },
  { sizeId: 7, memory: 7000, vcpus: 2 },
  { sizeId: 8, memory: 8192, vcpus: 4 },
  { sizeId: 9, memory: 12000, vcpus: 6 },
  { sizeId: 10, memory: 16384, vcpus: 8 },
] as const;

const ACCOUNT_NAMES = ['NASA', 'ESA', 'JAXA', 'ISRO'] as const;
const PLACES = [
  'Houston flight control',
  'Darmstadt ops',
  'Tsukuba station',
  'Bengaluru ground',
  'Kourou range',
  'Goldstone relay',
  'Canberra dish',
  'Madrid dish',
  'Baikonur pad',
  'Kiruna uplink',
];
const CRAFT = [
  'Endeavour',
  'Discovery',
  'Atlantis',
  'Columbia',
  'Cassini',
  'Galileo',
  'Juno',
  'Kepler',
  'Hubble',
  'Rosetta',
  'Philae',
  'Huygens',
  'Hayabusa',
  'Akatsuki',
  'Chandrayaan',
  'Mangalyaan',
  'Pioneer',
  'Viking',
  'Magellan',
  'Ulysses',
];

/**
 * The same seed always yields the same world; the default seed is the one the tests pin.
 * `scale` (a positive integer, for the benchmark) repeats the four seeded accounts that many
 * times ("NASA", …, then "NASA 2", …), each copy with its own cloudspaces and machines drawn
 * from the same stream, so accounts, cloudspaces and machines all grow by about `scale`×.
 * Scale 1 is exactly the world the tests pin.
 */
export function generateOpenvcloudData(
  seed: number = OPENVCLOUD_DEFAULT_SEED,
  scale = 1,
  precision: OpenvcloudPrecision = {},
): OpenvcloudData {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got "${scale}".`);
  const r = seededStream(seed);
  const accounts: OpenvcloudAccount[] = [];
  const cloudspaces: OpenvcloudCloudspace[] = [];
  const machines: OpenvcloudMachine[] = [];
  let diskId = 100;

  const addMachine = (cs: OpenvcloudCloudspace, init: Partial<OpenvcloudMachine> = {}): OpenvcloudMachine => {
    const id = machines.length + 1;
    const size = r.pick(SIZES);
    const diskSizes = [
      r.pick([10, 20, 40, 50, 100]),
      ...Array.from({ length: r.int(0, 2) }, () => r.pick([50, 100, 250, 500, 1000, 2048])),
    ];
    const creationTime = init.creationTime ?? r.int(t('2023-01-01'), t('2025-12-01'));
    const base = r.pick(CRAFT);
    const hostname = `${base.toLowerCase()}-${id}`;
    const nics: OpenvcloudNic[] = [
      {
        ipAddress: `192.168.103.${10 + (id % 240)}`,
        macAddress: `52:54:00:00:${hex2(id >> 8)}:${hex2(id)}`,
        type: 'bridge',
        networkId: cs.networkId,
        status: 'ACTIVE',
        deviceName: `vm-${id}-${hex2(cs.networkId)}`,
        referenceId: '',
        params: '',
      },
    ];
    if (r.next() < 0.2) {
      nics.push({
        ...nics[0]!,
        ipAddress: `185.15.202.${id % 250}`,
        macAddress: `52:54:00:01:${hex2(id >> 8)}:${hex2(id)}`,
        type: 'PUBLIC',
        deviceName: `vm-${id}-ext`,
        params: 'gateway:185.15.202.1 externalnetworkId:0',
      });
    }
    const m: OpenvcloudMachine = {
      id,
      cloudspaceId: cs.id,
      name: `${base}-${id}`,
      hostname,
      referenceId: `vm-${id}`,
      imageId: r.int(1, 8),
      sizeId: size.sizeId,
      stackId: r.int(1, 6),
      status: r.next() < 0.85 ? 'RUNNING' : 'HALTED',
      memory: size.memory,
      vcpus: size.vcpus,
      storage: diskSizes.reduce((a, b) => a + b, 0),
      iops: diskSizes.reduce((a) => a + r.pick([1000, 2000, 2000, 2500, 5000]), 0),
      disks: diskSizes.map(() => ++diskId),
      nics,
      creationTime,
      updateTime: creationTime + r.int(60, 86_400),
      deletionTime: r.next() < 0.12 ? r.int(creationTime + 30 * 86_400, t('2025-12-15')) : null,
      ...init,
    };
    machines.push(m);
    return m;
  };

  const names = Array.from({ length: ACCOUNT_NAMES.length * scale }, (_, n) => {
    const copy = Math.floor(n / ACCOUNT_NAMES.length);
    return copy === 0 ? ACCOUNT_NAMES[n]! : `${ACCOUNT_NAMES[n % ACCOUNT_NAMES.length]!} ${copy + 1}`;
  });
  names.forEach((name, i) => {
    const id = i + 1;
    // Copies behave like the account they copy (DISABLED, a deleted cloudspace); only account 1 has the archive machine.
    const like = (i % ACCOUNT_NAMES.length) + 1;
    const creationTime = r.int(t('2021-01-01'), t('2021-12-31'));
    accounts.push({
      id,
      name,
      status: like === 4 ? 'DISABLED' : 'CONFIRMED',
      acl: [
        {
          userGroupId: `${name.toLowerCase().replace(/ /g, '-')}-admin@itsyouonline`,
          type: 'U',
          right: 'ACDRUX',
          status: 'CONFIRMED',
          explicit: true,
        },
      ],
      creationTime,
      updateTime: creationTime + r.int(60, 86_400 * 30),
    });

    const own: OpenvcloudCloudspace[] = [];
    const csCount = r.int(2, 5);
    for (let k = 0; k < csCount; k++) {
      const csId = cloudspaces.length + 1;
      const csCreated = r.int(t('2022-01-01'), t('2022-12-31'));
      const peak = r.int(2_000, 400_000);
      const cs: OpenvcloudCloudspace = {
        id: csId,
        accountId: id,
        name: id === 1 && k === 0 ? PLACES[0]! : `${r.pick(PLACES.slice(1))} ${csId}`,
        descr: '',
        status: 'DEPLOYED',
        type: 'routeros',
        externalnetworkip: `185.15.201.${csId}`,
        publicipaddress: `185.15.201.${csId}`,
        location: 'be-gen-1',
        gid: 66,
        networkId: 100 + csId,
        acl: [],
        creationTime: csCreated,
        updateTime: csCreated + r.int(60, 3600),
        deletionTime: null,
        trafficWeekMicroTB: Array.from({ length: WEEK_HOURS }, () => r.int(Math.floor(peak / 10), peak)),
      };
      cloudspaces.push(cs);
      own.push(cs);
    }

    const first = own[0]!;
    if (id === 1) {
      // With beyondDoublePrecision its SU over a 30-day window needs 17 significant digits: a
      // float64 cannot hold it. Without, its storage is small enough for every total to fit one.
      addMachine(first, {
        name: OPENVCLOUD_ARCHIVE_MACHINE_NAME,
        hostname: 'voyager-archive',
        memory: 65_536,
        vcpus: 16,
        storage: precision.beyondDoublePrecision
          ? ARCHIVE_STORAGE_GB.beyondDoublePrecision
          : ARCHIVE_STORAGE_GB.default,
        iops: 40_000,
        creationTime: t('2024-03-14T15:09:26Z'),
        updateTime: t('2024-03-14T15:12:01Z'),
        deletionTime: null,
        status: 'RUNNING',
      });
    }
    const total = like === 1 ? r.int(12, 20) : r.int(5, 40);
    const made: OpenvcloudMachine[] = [];
    for (let k = 0; k < total - 2; k++) made.push(addMachine(k < own.length ? own[k]! : r.pick(own)));
    // One machine born and one (long-lived) machine deleted inside Oct–Nov 2026, so windows there differ.
    addMachine(r.pick(own), { creationTime: r.int(t('2026-10-01'), t('2026-11-30')), deletionTime: null });
    const doomed = addMachine(r.pick(own), { deletionTime: null });
    doomed.deletionTime = r.int(t('2026-10-01'), t('2026-11-30'));
    doomed.status = 'HALTED';

    if (like === 3) {
      // A cloudspace deleted in 2025: listed only with includedeleted, billed only while it lived.
      const csId = cloudspaces.length + 1;
      const deleted: OpenvcloudCloudspace = {
        ...first,
        id: csId,
        name: `Decommissioned ${csId}`,
        status: 'DELETED',
        externalnetworkip: `185.15.201.${csId}`,
        publicipaddress: `185.15.201.${csId}`,
        networkId: 100 + csId,
        creationTime: t('2023-02-01T08:00:00Z'),
        updateTime: t('2025-06-30T17:45:00Z'),
        deletionTime: t('2025-06-30T17:45:00Z'),
      };
      cloudspaces.push(deleted);
      for (let k = 0; k < 2; k++) {
        const created = r.int(t('2023-03-01'), t('2024-12-31'));
        addMachine(deleted, {
          creationTime: created,
          deletionTime: r.int(created + 86_400, t('2025-06-30T17:00:00Z')),
          status: 'HALTED',
        });
      }
    }
  });

  return { seed, accounts, cloudspaces, machines };
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

/** Hourly rates in micro-units, floored (see the model at the top of this file). */
export function machineRates(m: Pick<OpenvcloudMachine, 'memory' | 'vcpus' | 'storage' | 'iops'>): MachineRates {
  const byMemory = (BigInt(m.memory) * MICRO) / 4096n;
  const byCpu = (BigInt(m.vcpus) * MICRO) / 2n;
  return {
    CU: byMemory > byCpu ? byMemory : byCpu,
    SU: (BigInt(m.storage) * MICRO) / 1024n,
    TU: (BigInt(m.iops) * MICRO) / 400n,
  };
}

/**
 * Σ over clock hours h of floor(rate(h) × seconds of [lo, hi) inside h / 3600), in O(1) for any
 * window: whole hours come from `sumWhole(h0, h1)` (hours [h0, h1)), partial edge hours from `rate`.
 */
function integrate(
  lo: bigint,
  hi: bigint,
  rate: (hour: bigint) => bigint,
  sumWhole: (h0: bigint, h1: bigint) => bigint,
): bigint {
  if (lo >= hi) return 0n;
  let total = 0n;
  if (lo % HOUR !== 0n) {
    const h = lo / HOUR;
    const segEnd = hi < (h + 1n) * HOUR ? hi : (h + 1n) * HOUR;
    total += (rate(h) * (segEnd - lo)) / HOUR;
    lo = segEnd;
    if (lo >= hi) return total;
  }
  const h0 = lo / HOUR;
  const h1 = hi / HOUR;
  if (h1 > h0) total += sumWhole(h0, h1);
  if (hi % HOUR !== 0n) total += (rate(h1) * (hi - h1 * HOUR)) / HOUR;
  return total;
}

function overlap(start: bigint, end: bigint, born: number, died: number | null): [bigint, bigint] {
  const lo = BigInt(born) > start ? BigInt(born) : start;
  const hi = died !== null && BigInt(died) < end ? BigInt(died) : end;
  return [lo, hi];
}

interface Micro4 {
  CU: bigint;
  SU: bigint;
  TU: bigint;
  NU: bigint;
}

const zero4 = (): Micro4 => ({ CU: 0n, SU: 0n, TU: 0n, NU: 0n });
const add4 = (a: Micro4, b: Micro4): Micro4 => ({ CU: a.CU + b.CU, SU: a.SU + b.SU, TU: a.TU + b.TU, NU: a.NU + b.NU });

function machineMicro(m: OpenvcloudMachine, start: bigint, end: bigint): MachineRates {
  const [lo, hi] = overlap(start, end, m.creationTime, m.deletionTime);
  const rates = machineRates(m);
  const of = (r: bigint) =>
    integrate(
      lo,
      hi,
      () => r,
      (h0, h1) => r * (h1 - h0),
    );
  return { CU: of(rates.CU), SU: of(rates.SU), TU: of(rates.TU) };
}

const weekPrefixCache = new WeakMap<readonly number[], bigint[]>();

function trafficMicro(cs: OpenvcloudCloudspace, start: bigint, end: bigint): bigint {
  const week = cs.trafficWeekMicroTB;
  let prefix = weekPrefixCache.get(week);
  if (!prefix) {
    prefix = [0n];
    for (const v of week) prefix.push(prefix[prefix.length - 1]! + BigInt(v));
    weekPrefixCache.set(week, prefix);
  }
  const p = prefix;
  const period = BigInt(WEEK_HOURS);
  const upTo = (h: bigint) => (h / period) * p[WEEK_HOURS]! + p[Number(h % period)]!;
  const [lo, hi] = overlap(start, end, cs.creationTime, cs.deletionTime);
  return integrate(
    lo,
    hi,
    (h) => BigInt(week[Number(h % period)]!),
    (h0, h1) => upTo(h1) - upTo(h0),
  );
}

/**
 * Formats micro-units: with `padded`, exactly six decimals (`"11904.000000"`); without, trailing
 * zeros dropped but one decimal kept, as a Python float prints (`"11904.0"`, `"2.1234"`).
 */
export function formatMicro(v: bigint, padded = false): string {
  const six = (v % MICRO).toString().padStart(6, '0');
  return `${v / MICRO}.${padded ? six : six.replace(/(?<=\d)0+$/, '')}`;
}

const fmt3 = (c: MachineRates, padded: boolean): MachineConsumption => ({
  CU: formatMicro(c.CU, padded),
  SU: formatMicro(c.SU, padded),
  TU: formatMicro(c.TU, padded),
});
const fmt4 = (c: Micro4, padded: boolean): CloudspaceConsumption => ({
  ...fmt3(c, padded),
  NU: formatMicro(c.NU, padded),
});

function accountMicro(data: OpenvcloudData, accountId: number, start: bigint, end: bigint) {
  const spaces: { cs: OpenvcloudCloudspace; machines: { m: OpenvcloudMachine; c: MachineRates }[]; total: Micro4 }[] =
    [];
  let total = zero4();
  for (const cs of data.cloudspaces) {
    if (cs.accountId !== accountId) continue;
    const machines = data.machines
      .filter((m) => m.cloudspaceId === cs.id)
      .map((m) => ({ m, c: machineMicro(m, start, end) }))
      .filter(({ c }) => c.CU + c.SU + c.TU > 0n);
    const csTotal = machines.reduce((acc, { c }) => add4(acc, { ...c, NU: 0n }), {
      ...zero4(),
      NU: trafficMicro(cs, start, end),
    });
    if (csTotal.CU + csTotal.SU + csTotal.TU + csTotal.NU === 0n) continue;
    spaces.push({ cs, machines, total: csTotal });
    total = add4(total, csTotal);
  }
  return { spaces, total };
}

function checkWindow(start: number, end: number): [bigint, bigint] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start >= end) {
    throw new RangeError(
      `Window must be whole epoch seconds with 0 <= start < end, got start "${start}" and end "${end}".`,
    );
  }
  return [BigInt(start), BigInt(end)];
}

/**
 * What billing/calculate answers for `[start, end)` (epoch seconds), with every number as an
 * exact decimal string (formatMicro; `precision.paddedDecimals` pads to six decimals). With an
 * account id: that account's tree; without: the G8 total. ACLs are not applied. Throws
 * RangeError for an unknown account or an empty window.
 */
export function calculate(
  data: OpenvcloudData,
  accountId: number,
  start: number,
  end: number,
  precision?: OpenvcloudPrecision,
): CalculateAccountResult;
export function calculate(
  data: OpenvcloudData,
  accountId: undefined,
  start: number,
  end: number,
  precision?: OpenvcloudPrecision,
): CalculateTotalResult;
export function calculate(
  data: OpenvcloudData,
  accountId: number | undefined,
  start: number,
  end: number,
  precision?: OpenvcloudPrecision,
): CalculateAccountResult | CalculateTotalResult;
export function calculate(
  data: OpenvcloudData,
  accountId: number | undefined,
  start: number,
  end: number,
  precision: OpenvcloudPrecision = {},
): CalculateAccountResult | CalculateTotalResult {
  const padded = precision.paddedDecimals ?? false;
  const [s, e] = checkWindow(start, end);
  if (accountId === undefined) {
    const total = data.accounts.reduce((acc, a) => add4(acc, accountMicro(data, a.id, s, e).total), zero4());
    return { consumption: fmt4(total, padded) };
  }
  const account = data.accounts.find((a) => a.id === accountId);
  if (!account)
    throw new RangeError(`Account id must be one of ${data.accounts.map((a) => a.id).join(', ')}, got "${accountId}".`);
  const { spaces, total } = accountMicro(data, accountId, s, e);
  const cloudspaces: Record<string, CalculateCloudspace> = {};
  for (const { cs, machines, total: csTotal } of spaces) {
    const byId: Record<string, CalculateMachine> = {};
    for (const { m, c } of machines) byId[String(m.id)] = { id: m.id, name: m.name, consumption: fmt3(c, padded) };
    cloudspaces[String(cs.id)] = { id: cs.id, name: cs.name, machines: byId, consumption: fmt4(csTotal, padded) };
  }
  return { account: { id: account.id, name: account.name, cloudspaces, consumption: fmt4(total, padded) } };
}
