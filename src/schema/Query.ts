import { BadUserInputError, NotFoundError } from '../errors.js';
import { decodeId, decodeIdOf, type DecodedId, type IdKind } from '../lib/ids.js';
import { splitWindow } from '../lib/buckets.js';
import { totalsByCurrency } from '../lib/money.js';
import type { Context } from '../context.js';
import type { AccountModel, NodeModel, SourceErrorModel } from '../models.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { dedupeSourceErrors, toSourceError } from './sourceErrors.js';

const MAX_PAGE = 500;

/** Loads the object an id names; a vanished object is null plus NOT_FOUND on that field. */
async function loadNode(id: DecodedId, ctx: Context): Promise<NodeModel> {
  if (!ctx.sources.some((s) => s.id === id.sourceId))
    throw new NotFoundError(`No object has this id: its source "${id.sourceId}" is not configured.`);
  const node = await ctx.api(id.sourceId).resolveNode(id);
  if (!node) throw new NotFoundError(`No ${id.kind} has this id; it may have been deleted.`);
  return node;
}

const lookup =
  <T extends NodeModel>(kinds: readonly IdKind[]) =>
  (id: string, ctx: Context): Promise<T> =>
    loadNode(decodeIdOf(id, kinds), ctx) as Promise<T>;

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
  subscription: (_root, { id }, ctx) => lookup(['Subscription'])(id, ctx) as never,
  resource: (_root, { id }, ctx) => lookup(['Machine', 'Resource'])(id, ctx) as never,
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
