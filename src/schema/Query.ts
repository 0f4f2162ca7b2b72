import { BadUserInputError } from '../errors.js';
import { decodeId } from '../lib/ids.js';
import { splitWindow } from '../lib/buckets.js';
import { totalsByCurrency } from '../lib/money.js';
import type { AccountModel, ResourceModel, SourceErrorModel, SourceModel } from '../models.js';
import { accountRowsOfLedger, collectAccountRows } from '../reports/collectRows.js';
import { selectsField } from './selectsField.js';
import { notSyncedOr } from './notSynced.js';
import { reportScope } from '../reports/reportScope.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { loadNode, lookup, resourceIdKinds } from './loadNode.js';
import { decodeAccountsCursor, encodeAccountsCursor } from './accountsCursor.js';
import { dedupeSourceErrors } from './partialErrors.js';
import { tailOf } from '../ledger/ledgerApi.js';

const MAX_PAGE = 500;

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => loadNode(decodeId(id), ctx),
  account: (_root, { id }, ctx) => lookup<AccountModel>(['Account'])(id, ctx),
  resource: (_root, { id }, ctx, info) => lookup<ResourceModel>(resourceIdKinds(info.schema), 'a Resource')(id, ctx),
  sources: (_root, _args, ctx) => [...ctx.sources],

  async accounts(_root, { provider, source, first, after }, ctx, info) {
    const pageSize = first ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE) {
      throw new BadUserInputError(`Argument "first" must be between 0 and ${MAX_PAGE}, got ${pageSize}.`, 'first');
    }
    if (source && !ctx.sources.some((s) => s.id === source)) {
      throw new BadUserInputError(
        `Argument "source" must be a configured source id (${ctx.sources.map((s) => `"${s.id}"`).join(', ')}), got "${source}".`,
        'source',
      );
    }
    const selected = ctx.sources.filter((s) => (!provider || s.provider === provider) && (!source || s.id === source));
    const position = after ? decodeAccountsCursor(after, selected) : null;
    const errors: SourceErrorModel[] = [];
    // Every selected source is listed, also those before the cursor: totalCount counts them all,
    // and a source that cannot be listed is named whichever page is asked.
    const lists = await Promise.all(
      selected.map((s) =>
        ctx
          .api(s)
          .listAccounts()
          .catch((error: unknown) => {
            errors.push(ctx.partial.report(info, s, error));
            return null;
          }),
      ),
    );
    // The page walks on from the cursor's own source and index; a source that failed is skipped
    // (and named), the others keep their positions, so no account is skipped or repeated.
    const edges: { cursor: string; node: AccountModel }[] = [];
    let hasNextPage = false;
    walk: for (let si = position?.sourceIndex ?? 0; si < selected.length; si++) {
      const list = lists[si];
      if (!list) continue;
      const from = position && si === position.sourceIndex ? position.index + 1 : 0;
      for (let i = from; i < list.length; i++) {
        if (edges.length === pageSize) {
          hasNextPage = true;
          break walk;
        }
        edges.push({ cursor: encodeAccountsCursor(selected[si].id, i), node: list[i] });
      }
    }
    return {
      edges,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: lists.reduce((n, list) => n + (list?.length ?? 0), 0),
      errors: dedupeSourceErrors(errors),
    };
  },

  async usageReport(_root, { window, granularity, providers, groupBy, filter, currency }, ctx, info) {
    const gran = granularity ?? 'TOTAL';
    const validated = ctx.window(window);
    // The HOUR length cap is the caller's to fix whatever the sources: a top-level error.
    const buckets = splitWindow(validated, gran, ctx.limits);
    const scope = reportScope(ctx.sources, { providers, groupBy, filter });
    const errors: SourceErrorModel[] = [];
    const failed = new Set<SourceModel>();
    const fail = (s: SourceModel, error: unknown) => {
      errors.push(ctx.partial.report(info, s, error));
      failed.add(s);
    };
    // A report that shows no points and neither groups nor filters by account needs the ledger's
    // sums per source only, not per account: the same totals, a fraction of the rows to read.
    let level: 'account' | 'source' | undefined;
    const ledgerLevel = () =>
      (level ??=
        scope.accounts || scope.dimensions.includes('ACCOUNT') || selectsField(info, 'points') ? 'account' : 'source');
    const perSource = await Promise.all(
      scope.sources.map(async (s) => {
        const api = ctx.api(s);
        try {
          // A granularity finer than this source reports is its SourceError (BAD_USER_INPUT);
          // the sources that can answer it still do.
          const bucketed = ctx.bucketed(s, window, gran);
          // The leading buckets the ledger holds for the whole source need no upstream call (not
          // even the listing, unless the report groups or filters by account).
          const report = scope.level === 'ACCOUNT' && !scope.resourceTypes ? ctx.ledgerReport(s.id) : null;
          const kept = report ? await report(bucketed, ledgerLevel()) : { head: 0, points: [] };
          const n = bucketed.buckets.length;
          const rest = kept.head === 0 ? bucketed : kept.head < n ? tailOf(bucketed, kept.head) : null;
          const listed =
            rest || scope.accounts || scope.dimensions.includes('ACCOUNT')
              ? (await api.listAccounts()).filter((a) => !scope.accounts || scope.accounts.has(a.id))
              : null;
          const fromLedger = kept.head > 0 ? accountRowsOfLedger(s, kept.points, listed, scope) : [];
          if (!rest) return fromLedger;
          // Past the call ceiling, a source with a ledger says what the ledger lacks, not only that it ran out.
          const failTail = (error: unknown) =>
            fail(s, report ? notSyncedOr(error, s.id, rest, ctx.limits.maxUpstreamCallsPerRequest) : error);
          const results = await Promise.allSettled(
            listed!.map((a) => collectAccountRows(api, s, a, rest, scope, failTail)),
          );
          return fromLedger.concat(
            results.flatMap((r) => {
              if (r.status === 'fulfilled') return [r.value];
              failTail(r.reason);
              return [];
            }),
          );
        } catch (error) {
          fail(s, error);
          return [];
        }
      }),
    );
    const parts = perSource.flat();
    const points = parts.flatMap((p) => p.points);
    return {
      points,
      sources: scope.sources,
      totals: totalsByCurrency(points.map((p) => p.cost)),
      currency: currency ?? null,
      // False whenever a source in scope failed, was cut short by a ceiling or cannot answer
      // this granularity or window: the totals then lack that source's part.
      complete: errors.length === 0,
      errors: dedupeSourceErrors(errors),
      rows: parts.flatMap((p) => p.rows),
      dimensions: scope.dimensions,
      buckets,
      failed: [...failed],
      isFinalBucket: ctx.isFinalBucket,
    };
  },
};
