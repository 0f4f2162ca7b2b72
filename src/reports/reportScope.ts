import { BadUserInputError } from '../lib/gatewayError.js';
import { decodeIdOf } from '../lib/ids.js';
import type { ReportDimension, UsageFilter } from '../generated/resolvers.js';
import type { Provider, ResourceType, SourceModel } from '../models.js';

/** How finely a report must read its sources: only as finely as its dimensions and filter need. */
export type ReportLevel = 'ACCOUNT' | 'SUB_ACCOUNT' | 'RESOURCE';

/** What one usageReport covers, its arguments checked. */
export interface ReportScope {
  /** The sources in scope, in config order. */
  readonly sources: readonly SourceModel[];
  /** Account ids to keep; null: every account. */
  readonly accounts: ReadonlySet<string> | null;
  /** Metrics to keep; null: every metric. */
  readonly metrics: ReadonlySet<string> | null;
  /** Only resource-level consumption of these types; null: account-level consumption. */
  readonly resourceTypes: readonly ResourceType[] | null;
  readonly dimensions: readonly ReportDimension[];
  readonly level: ReportLevel;
}

export interface ReportArguments {
  readonly providers?: readonly Provider[] | null;
  readonly groupBy?: readonly ReportDimension[] | null;
  readonly filter?: UsageFilter | null;
}

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

/**
 * Checks usageReport's groupBy and filter against the configured `sources` and answers its
 * scope. Every refusal is BAD_USER_INPUT naming the argument and what to pass instead.
 */
export function reportScope(sources: readonly SourceModel[], args: ReportArguments): ReportScope {
  const dimensions = args.groupBy ?? [];
  const twice = dimensions.find((d, i) => dimensions.indexOf(d) !== i);
  if (twice)
    throw new BadUserInputError(`Argument "groupBy" names ${twice} twice; name each dimension once.`, 'groupBy');
  const filter = args.filter ?? {};
  for (const id of filter.sources ?? []) {
    if (!sources.some((s) => s.id === id))
      throw new BadUserInputError(
        `Argument "filter.sources" must list configured source ids (${quoted(sources.map((s) => s.id))}), got "${id}".`,
        'filter',
      );
  }
  const inScope = sources.filter(
    (s) =>
      (!args.providers || args.providers.includes(s.provider)) &&
      (!filter.providers || filter.providers.includes(s.provider)) &&
      (!filter.sources || filter.sources.includes(s.id)),
  );
  let accounts: Set<string> | null = null;
  const accountSources = new Set<string>();
  if (filter.accounts) {
    accounts = new Set();
    for (const id of filter.accounts) {
      const decoded = decodeIdOf(id, ['Account'], 'filter.accounts');
      if (!inScope.some((s) => s.id === decoded.sourceId))
        throw new BadUserInputError(
          sources.some((s) => s.id === decoded.sourceId)
            ? `Argument "filter.accounts" names an account of source "${decoded.sourceId}", which the providers and sources asked leave out; add its source or drop the account.`
            : `Argument "filter.accounts" names an account of source "${decoded.sourceId}", which is not configured; pass Account ids this API returned.`,
          'filter',
        );
      accounts.add(id);
      accountSources.add(decoded.sourceId);
    }
  }
  const resourceTypes = filter.resourceTypes ?? null;
  const level: ReportLevel =
    resourceTypes || dimensions.includes('RESOURCE') || dimensions.includes('RESOURCE_TYPE')
      ? 'RESOURCE'
      : dimensions.includes('SUB_ACCOUNT')
        ? 'SUB_ACCOUNT'
        : 'ACCOUNT';
  return {
    // Only the sources an account filter names are asked at all.
    sources: accounts ? inScope.filter((s) => accountSources.has(s.id)) : inScope,
    accounts,
    metrics: filter.metrics ? new Set(filter.metrics) : null,
    resourceTypes,
    dimensions,
    level,
  };
}
