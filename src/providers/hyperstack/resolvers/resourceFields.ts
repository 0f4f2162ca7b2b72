import type { Context } from '../../../context.js';
import { ErrorCode, GatewayError } from '../../../errors.js';
import type { Granularity, TimeWindow } from '../../../generated/resolvers.js';
import { totalsByCurrency } from '../../../lib/money.js';
import type { HyperstackResourceModel } from '../models.js';
import { hyperstackApiOf, type HyperstackApi } from '../api.js';
import { accountOf } from '../../../schema/accountOf.js';

type WindowArgs = { window: TimeWindow };
type SeriesArgs = { window: TimeWindow; granularity?: Granularity | null };

/** The Hyperstack API of a resource's source (a Hyperstack model only ever comes from one). */
export function hyperstackOf(resource: { source: HyperstackResourceModel['source'] }, ctx: Context): HyperstackApi {
  const api = hyperstackApiOf(ctx.api(resource.source));
  if (!api)
    throw new GatewayError(
      `Source "${resource.source.id}" is not a Hyperstack source.`,
      ErrorCode.INTERNAL_SERVER_ERROR,
    );
  return api;
}

/**
 * The Resource fields every Hyperstack type shares, spread into each type's resolvers:
 * account via accountOf, consumption via api.resourceConsumption, cost = totals of the TOTAL
 * points (the Machine pattern), and billing(window) from the type's billing-history list.
 */
export const hyperstackResourceFields = {
  provider: (resource: HyperstackResourceModel) => resource.source.provider,
  account: (resource: HyperstackResourceModel, _args: unknown, ctx: Context) => accountOf(resource, ctx),
  consumption: (resource: HyperstackResourceModel, { window, granularity }: SeriesArgs, ctx: Context) =>
    ctx
      .api(resource.source)
      .resourceConsumption?.(resource, ctx.bucketed(resource.source, window, granularity ?? 'TOTAL')) ?? [],
  async cost(resource: HyperstackResourceModel, { window }: WindowArgs, ctx: Context) {
    const points =
      (await ctx
        .api(resource.source)
        .resourceConsumption?.(resource, ctx.bucketed(resource.source, window, 'TOTAL'))) ?? [];
    return totalsByCurrency(points.map((p) => p.cost));
  },
  billing: (resource: HyperstackResourceModel, { window }: WindowArgs, ctx: Context) =>
    hyperstackOf(resource, ctx).billing(resource, ctx.window(window)),
};

/** billingDetails for the types whose details endpoint returns the volume/VM models. */
export const billingDetails = (resource: HyperstackResourceModel, { window }: WindowArgs, ctx: Context) =>
  hyperstackOf(resource, ctx).billingDetails(resource, ctx.window(window));

/** billingEvents (VMs and volumes only have an events endpoint). */
export const billingEvents = (resource: HyperstackResourceModel, { window }: WindowArgs, ctx: Context) =>
  hyperstackOf(resource, ctx).billingEvents(resource, ctx.window(window));
