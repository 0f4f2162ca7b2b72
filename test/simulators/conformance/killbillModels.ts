// The models of Kill Bill's official JavaScript client (`killbill` 0.24.0), field by field, as a
// checker for what the simulator answers. Each spec is typed against the client's own interface
// (`ModelSpec<Account>` must name exactly the fields `Account` declares), so a client upgrade that
// adds or drops a field fails `tsc` until the spec follows. Types and formats are those of the
// Swagger the client is generated from (node_modules/killbill/codegen/kbswagger.yaml); enums are
// the client's runtime enum objects.
//
// Kill Bill's Jackson writes every property, null ones included, so a field missing from an
// answer is drift; null is accepted only where Kill Bill itself writes null (`nullable`).

import {
  AccountCurrencyEnum,
  AuditLogObjectTypeEnum,
  EventSubscriptionBillingPeriodEnum,
  EventSubscriptionEventTypeEnum,
  SubscriptionBillingPeriodEnum,
  SubscriptionPhaseTypeEnum,
  SubscriptionProductCategoryEnum,
  SubscriptionSourceTypeEnum,
  SubscriptionStateEnum,
  UsagePriceBillingModeEnum,
  UsagePriceTierBlockPolicyEnum,
  UsagePriceUsageTypeEnum,
  type Account,
  type AuditLog,
  type BlockPrice,
  type Bundle,
  type BundleTimeline,
  type Entity,
  type EventSubscription,
  type PhasePrice,
  type RolledUpUnit,
  type RolledUpUsage,
  type Subscription,
  type TierPrice,
  type UsagePrice,
} from 'killbill';

export type ModelName =
  | 'Account'
  | 'AuditLog'
  | 'Entity'
  | 'Bundle'
  | 'BundleTimeline'
  | 'EventSubscription'
  | 'Subscription'
  | 'PhasePrice'
  | 'UsagePrice'
  | 'TierPrice'
  | 'BlockPrice'
  | 'RolledUpUsage'
  | 'RolledUpUnit'
  | 'BillingException';

type Kind =
  | 'string'
  | 'uuid'
  | 'date-time'
  | 'date'
  | 'int32'
  | 'number'
  | 'boolean'
  | { enum: Readonly<Record<string, string>> }
  | { model: ModelName }
  | { array: Kind };

interface Field {
  kind: Kind;
  /** Kill Bill writes null here in some answers (an unset optional property). */
  nullable?: boolean;
}

/** One entry per property of the client's interface T, no more, no fewer. */
type ModelSpec<T> = { readonly [K in keyof Required<T>]: Field };

const f = (kind: Kind, nullable = false): Field => ({ kind, nullable });
const nullableString = f('string', true);
const auditLogs = f({ array: { model: 'AuditLog' } });

const Account = {
  accountId: f('uuid'),
  name: f('string'),
  firstNameLength: f('int32', true),
  externalKey: f('string'),
  email: f('string', true),
  billCycleDayLocal: f('int32'),
  currency: f({ enum: AccountCurrencyEnum }),
  parentAccountId: f('uuid', true),
  isPaymentDelegatedToParent: f('boolean'),
  paymentMethodId: f('uuid', true),
  referenceTime: f('date-time'),
  timeZone: f('string'),
  address1: nullableString,
  address2: nullableString,
  postalCode: nullableString,
  company: nullableString,
  city: nullableString,
  state: nullableString,
  country: nullableString,
  locale: nullableString,
  phone: nullableString,
  notes: nullableString,
  isMigrated: f('boolean'),
  // Null unless asked for with accountWithBalance / accountWithBalanceAndCBA (checked per call).
  accountBalance: f('number', true),
  accountCBA: f('number', true),
  auditLogs,
} satisfies ModelSpec<Account>;

const AuditLog = {
  changeType: f('string'),
  changeDate: f('date-time'),
  objectType: f({ enum: AuditLogObjectTypeEnum }),
  objectId: f('uuid'),
  changedBy: f('string'),
  reasonCode: nullableString,
  comments: nullableString,
  userToken: f('uuid', true),
  history: f({ model: 'Entity' }, true),
} satisfies ModelSpec<AuditLog>;

const Entity = {
  id: f('uuid'),
  createdDate: f('date-time'),
  updatedDate: f('date-time'),
} satisfies ModelSpec<Entity>;

const Bundle = {
  accountId: f('uuid'),
  bundleId: f('uuid'),
  externalKey: f('string'),
  subscriptions: f({ array: { model: 'Subscription' } }),
  timeline: f({ model: 'BundleTimeline' }),
  auditLogs,
} satisfies ModelSpec<Bundle>;

const BundleTimeline = {
  accountId: f('uuid'),
  bundleId: f('uuid'),
  externalKey: f('string'),
  events: f({ array: { model: 'EventSubscription' } }),
  auditLogs,
} satisfies ModelSpec<BundleTimeline>;

const EventSubscription = {
  eventId: f('uuid'),
  billingPeriod: f({ enum: EventSubscriptionBillingPeriodEnum }),
  effectiveDate: f('date-time'),
  catalogEffectiveDate: f('date-time'),
  plan: f('string'),
  product: f('string'),
  priceList: f('string'),
  eventType: f({ enum: EventSubscriptionEventTypeEnum }),
  isBlockedBilling: f('boolean'),
  isBlockedEntitlement: f('boolean'),
  serviceName: f('string'),
  serviceStateName: f('string'),
  phase: f('string'),
  auditLogs,
} satisfies ModelSpec<EventSubscription>;

const Subscription = {
  accountId: f('uuid'),
  bundleId: f('uuid'),
  bundleExternalKey: f('string'),
  subscriptionId: f('uuid'),
  externalKey: f('string'),
  startDate: f('date-time'),
  productName: f('string'),
  productCategory: f({ enum: SubscriptionProductCategoryEnum }),
  billingPeriod: f({ enum: SubscriptionBillingPeriodEnum }),
  phaseType: f({ enum: SubscriptionPhaseTypeEnum }),
  priceList: f('string'),
  planName: f('string'),
  state: f({ enum: SubscriptionStateEnum }),
  sourceType: f({ enum: SubscriptionSourceTypeEnum }),
  cancelledDate: f('date-time', true),
  chargedThroughDate: f('date', true),
  billingStartDate: f('date-time'),
  billingEndDate: f('date-time', true),
  billCycleDayLocal: f('int32'),
  quantity: f('int32'),
  events: f({ array: { model: 'EventSubscription' } }),
  priceOverrides: f({ array: { model: 'PhasePrice' } }, true),
  prices: f({ array: { model: 'PhasePrice' } }),
  auditLogs,
} satisfies ModelSpec<Subscription>;

const PhasePrice = {
  planName: f('string'),
  phaseName: f('string'),
  // A plain string in the model (the subscription's phaseType is the enum).
  phaseType: f('string'),
  fixedPrice: f('number', true),
  recurringPrice: f('number', true),
  usagePrices: f({ array: { model: 'UsagePrice' } }),
} satisfies ModelSpec<PhasePrice>;

const UsagePrice = {
  usageName: f('string'),
  usageType: f({ enum: UsagePriceUsageTypeEnum }),
  billingMode: f({ enum: UsagePriceBillingModeEnum }),
  tierBlockPolicy: f({ enum: UsagePriceTierBlockPolicyEnum }),
  tierPrices: f({ array: { model: 'TierPrice' } }),
} satisfies ModelSpec<UsagePrice>;

const TierPrice = { blockPrices: f({ array: { model: 'BlockPrice' } }) } satisfies ModelSpec<TierPrice>;

const BlockPrice = {
  unitName: f('string'),
  size: f('number'),
  price: f('number'),
  max: f('number'),
} satisfies ModelSpec<BlockPrice>;

const RolledUpUsage = {
  subscriptionId: f('uuid'),
  startDate: f('date-time'),
  endDate: f('date-time'),
  rolledUpUnits: f({ array: { model: 'RolledUpUnit' } }),
} satisfies ModelSpec<RolledUpUsage>;

const RolledUpUnit = { unitType: f('string'), amount: f('number') } satisfies ModelSpec<RolledUpUnit>;

/** Kill Bill's error body (not a client model: the client leaves error bodies untyped). */
const BillingException = {
  className: f('string'),
  code: f('int32', true),
  message: f('string'),
  causeClassName: nullableString,
  causeMessage: nullableString,
  stackTrace: f({ array: 'string' }),
};

const MODELS: Readonly<Record<ModelName, Readonly<Record<string, Field>>>> = {
  Account,
  AuditLog,
  Entity,
  Bundle,
  BundleTimeline,
  EventSubscription,
  Subscription,
  PhasePrice,
  UsagePrice,
  TierPrice,
  BlockPrice,
  RolledUpUsage,
  RolledUpUnit,
  BillingException,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Joda's UTC rendering, as Kill Bill writes every instant. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function kindProblems(value: unknown, kind: Kind, path: string): string[] {
  const bad = (what: string) => [`${path}: expected ${what}, got ${JSON.stringify(value)}`];
  if (typeof kind === 'object') {
    if ('enum' in kind) return Object.values(kind.enum).includes(value as string) ? [] : bad('one of the enum');
    if ('model' in kind) return modelProblems(value, kind.model, path);
    if (!Array.isArray(value)) return bad('an array');
    return value.flatMap((item, i) => kindProblems(item, kind.array, `${path}[${i}]`));
  }
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? [] : bad('a string');
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? [] : bad('a UUID');
    case 'date-time':
      return typeof value === 'string' && DATE_TIME.test(value) && Number.isFinite(Date.parse(value))
        ? []
        : bad('a UTC date-time with milliseconds');
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? [] : bad('a date');
    case 'int32':
      return Number.isInteger(value) && Math.abs(value as number) < 2 ** 31 ? [] : bad('an int32');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : bad('a number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : bad('a boolean');
  }
}

/**
 * Every way `value` departs from the client's model `name`: a declared field missing, null where
 * Kill Bill never writes null, of the wrong type or format, outside its enum; or a field the model
 * does not declare. Empty when the value conforms.
 */
export function modelProblems(value: unknown, name: ModelName, path: string = name): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${path}: expected a ${name} object, got ${JSON.stringify(value)}`];
  const spec = MODELS[name];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, { kind, nullable }] of Object.entries(spec)) {
    const at = `${path}.${field}`;
    if (!(field in record)) problems.push(`${at}: missing`);
    else if (record[field] === null) {
      if (!nullable) problems.push(`${at}: null`);
    } else problems.push(...kindProblems(record[field], kind, at));
  }
  for (const field of Object.keys(record)) if (!(field in spec)) problems.push(`${path}.${field}: not in the model`);
  return problems;
}

/** The fields of a model, for tests that say how many were checked. */
export const modelFields = (name: ModelName): string[] => Object.keys(MODELS[name]);
