import { BadUserInputError } from '../errors.js';
import type { UsageReportResolvers } from '../generated/resolvers.js';
import { groupRows, keyString } from '../reports/groupRows.js';
import { decodeGroupsCursor, encodeGroupsCursor } from '../reports/groupsCursor.js';
import { defaultSortCurrency, foldTop, sortGroups } from '../reports/sortGroups.js';

const MAX_PAGE = 500;

/** UsageReport's own fields beyond the report model's (points, totals, complete, errors). */
export const UsageReport: UsageReportResolvers = {
  groups(report, { first, after, top, sortCurrency }) {
    const pageSize = first ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE)
      throw new BadUserInputError(`Argument "first" must be between 0 and ${MAX_PAGE}, got ${pageSize}.`, 'first');
    if (top !== null && top !== undefined && (!Number.isInteger(top) || top < 1))
      throw new BadUserInputError(`Argument "top" must be 1 or more, got ${top}; omit it for every group.`, 'top');
    const currency = sortCurrency ?? defaultSortCurrency(report.rows);
    const sorted = sortGroups(groupRows(report.rows, report.dimensions, report.buckets, report.failed), currency);
    const groups = top ? foldTop(sorted, top, report.dimensions) : sorted;
    const keys = groups.map((g) => keyString(g.key));
    const from = after ? decodeGroupsCursor(after, keys) + 1 : 0;
    const page = groups.slice(from, from + pageSize);
    const edges = page.map((node, i) => ({ cursor: encodeGroupsCursor(from + i, keys[from + i]!), node }));
    return {
      edges,
      pageInfo: { hasNextPage: from + page.length < groups.length, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: groups.length,
    };
  },
};
