import type { Context } from '../context.js';
import type { SeriesPointResolvers, UsageReportGroupResolvers } from '../generated/resolvers.js';
import type { Money } from '../lib/money.js';

/** A group's or bucket's costs in billing (ISO 4217, not virtual) currencies, as UsageReport.totals. */
const billing = (totals: readonly Money[], ctx: Context): Money[] =>
  totals.filter((m) => !ctx.currencies().isVirtual(m.currency));

/** Its costs in virtual currencies (Buzz, credits, …), as UsageReport.virtualTotals. */
const virtual = (totals: readonly Money[], ctx: Context): Money[] =>
  totals.filter((m) => ctx.currencies().isVirtual(m.currency));

/**
 * A group's money split like the report's (docs/pricing.md): `totals` in billing currencies,
 * `virtualTotals` in virtual ones, so the groups' totals add up to the report's, currency by currency.
 */
export const UsageReportGroup: UsageReportGroupResolvers = {
  totals: (group, _args, ctx) => billing(group.totals, ctx),
  virtualTotals: (group, _args, ctx) => virtual(group.totals, ctx),
};

/** A series point's money, split the same way. */
export const SeriesPoint: SeriesPointResolvers = {
  totals: (point, _args, ctx) => billing(point.totals, ctx),
  virtualTotals: (point, _args, ctx) => virtual(point.totals, ctx),
};
