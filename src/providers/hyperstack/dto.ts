/**
 * The shapes of Hyperstack's billing answers (docs/upstreams/hyperstack.md#s4), as zod schemas
 * the client checks every 200 against, and the types of what they parse to. Numbers stay
 * literals (numberLiteral): money is summed as decimals, never as floats.
 */
import { z } from 'zod';
import { numberLiteral } from '../jsonNumbers.js';

export const num = numberLiteral;
export const intLit = z.union([z.string().regex(/^-?\d+$/, 'an integer'), z.number().int()]).transform(String);
export const idLit = z.union([z.string(), z.number()]).transform(String);
export const str = z.string().nullish();
export const optNum = num.nullish();

export const pointDto = z.object({ datetime: z.string(), value: num });
export type PointDto = z.infer<typeof pointDto>;

// One permissive row schema for every billing_history row the API has (list rows, VM/volume/
// bucket details, token workloads, contracts, cluster nodes): every field is optional in the
// SDK, and the kinds differ only in which fields they fill (docs/upstreams/hyperstack.md#s4).
export const attributesDto = z.object({
  id: idLit.nullish(),
  infrahub_id: intLit.nullish(),
  resource_name: str,
  status: str,
  contract_id: intLit.nullish(),
  subresource_type: str,
  subresource_amount: intLit.nullish(),
  base_model: str,
  base_model_display_name: str,
  lora_adapter: str,
  description: str,
  gpu_type: str,
});
export const metricsDto = z.object({
  incurred_bill: optNum,
  price_per_hour: optNum,
  non_discounted_price_per_hour: optNum,
  non_discounted_bill: optNum,
  usage_time: optNum,
  usage_time_ACTIVE: optNum,
  usage_time_SHUTOFF: optNum,
  usage_time_HIBERNATED: optNum,
  input_tokens: optNum,
  output_tokens: optNum,
  input_tokens_incurred_bill: optNum,
  input_tokens_non_discounted_bill: optNum,
  output_tokens_incurred_bill: optNum,
  output_tokens_non_discounted_bill: optNum,
  incurred_bill_graph: z.array(pointDto).nullish(),
});
export const baseRowDto = z.object({ attributes: attributesDto.default({}), metrics: metricsDto.default({}) });
export const rowDto = baseRowDto.extend({ nodes: z.array(baseRowDto).nullish() });
export type RowDto = z.infer<typeof rowDto>;

export const pageDto = z.object({
  org_id: intLit.nullish(),
  total_count: intLit.nullish(),
  granularity: intLit.nullish(),
  pagination: z.object({ page: intLit.nullish(), pages: intLit.nullish(), per_page: intLit.nullish() }).nullish(),
  billing_history: z.array(rowDto).nullish(),
});

export const SUBS = ['gpu', 'cpu', 'ram', 'publicip', 'disk', 'ephemeral'] as const;
export type SubResourceName = (typeof SUBS)[number];
export const subMetricsDto = z.object(
  Object.fromEntries(
    SUBS.flatMap((s) => [
      [`${s}_incurred_bill`, optNum],
      [`${s}_incurred_bill_graph`, z.array(pointDto).nullish()],
    ]),
  ) as Record<string, z.ZodType>,
);
export const subPageDto = z.object({
  granularity: intLit.nullish(),
  billing_history: z
    .array(z.object({ attributes: attributesDto.default({}), metrics: subMetricsDto.default({}) }))
    .nullish(),
});
export interface SubResourceRowDto {
  /** Seconds per graph point (endpoint 12 only); null when the answer does not say. */
  granularity: number | null;
  totals: Record<SubResourceName, string | null>;
  graphs: Record<SubResourceName, PointDto[]>;
}

export const eventDto = z.object({
  start: str,
  event: str,
  event_duration: optNum,
  price_per_hour: optNum,
  total_cost: optNum,
});
export type EventDto = z.infer<typeof eventDto>;

export const usageDto = z.object({
  resource_id: intLit.nullish(),
  resource_type: str,
  name: str,
  organization_id: intLit.nullish(),
  bill_per_minute: optNum,
  create_time: str,
  terminate_time: str,
  total_up_time: optNum,
  total_bill: optNum,
  active: z.boolean().nullish(),
  exclude_billing: z.boolean().nullish(),
});
export type UsageDto = z.infer<typeof usageDto>;

export const lastDayDto = z.object({
  instances_cost: optNum,
  volumes_cost: optNum,
  clusters_cost: optNum,
  total_cost: optNum,
});
export type LastDayDto = z.infer<typeof lastDayDto>;

export const thresholdDto = z.object({
  id: intLit,
  threshold: intLit,
  interface_title: str,
  interface_tooltip: str,
  subscribed: z.boolean(),
});
export type ThresholdDto = z.infer<typeof thresholdDto>;

export const orgMetricsDto = z.object({
  incurred_bill: optNum,
  non_discounted_bill: optNum,
  vm_cost: optNum,
  volume_cost: optNum,
  contract_cost: optNum,
  snapshot_cost: optNum,
  incurred_bill_graph: z.array(pointDto).nullish(),
});
export const orgHistoryDto = z.object({
  org_id: intLit.nullish(),
  billing_history: z
    .array(z.object({ attributes: z.object({ id: idLit.nullish() }).default({}), metrics: orgMetricsDto.default({}) }))
    .nullish(),
});
export interface OrgHistoryDto {
  orgId: string | null;
  metrics: z.infer<typeof orgMetricsDto>[];
}

/** Upstream query window: `YYYY-MM-DDTHH:MM:SS`, UTC, no zone. */
export interface HsWindow {
  readonly start: string;
  readonly end: string;
}

export interface ListPage {
  orgId: string | null;
  totalCount: number;
  pages: number;
  rows: RowDto[];
}
