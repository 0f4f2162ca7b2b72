import { BadUserInputError } from '../errors.js';
import { decodeId } from '../lib/ids.js';
import { splitWindow } from '../lib/buckets.js';
import { totalsByCurrency } from '../lib/money.js';
import type { AccountModel, ResourceModel, SourceErrorModel } from '../models.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { loadNode, lookup, resourceIdKinds } from './loadNode.js';
import { dedupeSourceErrors, toSourceError } from './sourceErrors.js';

const MAX_PAGE = 500;

export const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new BadUserInputError(
      `Argument "after" must be a cursor returned by accounts (pageInfo.endCursor), got "${cursor.slice(0, 40)}".`,
      'after',
    );
  return Number(match[1]);
}

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => loadNode(decodeId(id), ctx),
  account: (_root, { id }, ctx) => lookup<AccountModel>(['Account'])(id, ctx),
  resource: (_root, { id }, ctx, info) => lookup<ResourceModel>(resourceIdKinds(info.schema), 'a Resource')(id, ctx),
  sources: (_root, _args, ctx) => [...ctx.sources],

  async accounts(_root, { provider, source, first, after }, ctx) {
    const pageSize = first ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE) {
      throw new BadUserInputError(`Argument "first" must be between 0 and ${MAX_PAGE}, got ${pageSize}.`, 'first');
    }
    const offset = after ? decodeCursor(after) + 1 : 0;
    if (source && !ctx.sources.some((s) => s.id === source)) {
      throw new BadUserInputError(
        `Argument "source" must be a configured source id (${ctx.sources.map((s) => `"${s.id}"`).join(', ')}), got "${source}".`,
        'source',
      );
    }
    const selected = ctx.sources.filter((s) => (!provider || s.provider === provider) && (!source || s.id === source));
    const errors: SourceErrorModel[] = [];
    const lists = await Promise.all(
      selected.map((s) =>
        ctx
          .api(s)
          .listAccounts()
          .catch((error: unknown) => {
            errors.push(toSourceError(s, error));
            return [] as AccountModel[];
          }),
      ),
    );
    const all = lists.flat();
    const page = all.slice(offset, offset + pageSize);
    return {
      edges: page.map((node, i) => ({ cursor: encodeCursor(offset + i), node })),
      pageInfo: {
        hasNextPage: offset + page.length < all.length,
        endCursor: page.length ? encodeCursor(offset + page.length - 1) : null,
      },
      totalCount: all.length,
      errors: dedupeSourceErrors(errors),
    };
  },

  async usageReport(_root, { window, granularity, providers }, ctx) {
    const gran = granularity ?? 'TOTAL';
    const validated = ctx.window(window);
    // The HOUR length cap is the caller's to fix whatever the sources: a top-level error.
    if (gran === 'HOUR') splitWindow(validated, gran, ctx.limits);
    const selected = ctx.sources.filter((s) => !providers || providers.includes(s.provider));
    const errors: SourceErrorModel[] = [];
    const perSource = await Promise.all(
      selected.map(async (s) => {
        const api = ctx.api(s);
        try {
          // A granularity finer than this source reports is its SourceError (BAD_USER_INPUT);
          // the sources that can answer it still do.
          const bucketed = ctx.bucketed(s, window, gran);
          const accounts = await api.listAccounts();
          const results = await Promise.allSettled(accounts.map((a) => api.accountConsumption(a, bucketed)));
          return results.flatMap((r) => {
            if (r.status === 'fulfilled') return r.value;
            errors.push(toSourceError(s, r.reason));
            return [];
          });
        } catch (error) {
          errors.push(toSourceError(s, error));
          return [];
        }
      }),
    );
    const points = perSource.flat();
    return { points, totals: totalsByCurrency(points.map((p) => p.cost)), errors: dedupeSourceErrors(errors) };
  },
};
