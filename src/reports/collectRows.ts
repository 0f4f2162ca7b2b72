import type { AccountModel, ConsumptionPointModel, ResourceModel, SourceModel } from '../models.js';
import { encodeId } from '../lib/ids.js';
import type { BucketedWindow, SourceApi, SubAccount } from '../providers/types.js';
import { remainderRows, rowsOfPoints, type Labelled, type ReportRow, type RowOrigin } from './reportRow.js';
import type { ReportScope } from './reportScope.js';

/** One account's part of a report: the points `points` answers and the rows `groups` groups. */
export interface AccountRows {
  readonly points: ConsumptionPointModel[];
  readonly rows: ReportRow[];
}

const labelled = (node: { id: string; name: string | null }): Labelled => ({ id: node.id, name: node.name });

/**
 * Reads one account as finely as the report needs (scope.level) and answers its points and
 * rows; the rows' costs add up to the points' exactly.
 *
 * - ACCOUNT: the account's points, one row each.
 * - SUB_ACCOUNT: each sub-account's points, plus the account's remainder (__unallocated__);
 *   a source without sub-accounts answers the account as its own sub-account.
 * - RESOURCE: each resource's points (with its sub-account), plus the account's remainder
 *   (__unallocated__); a source without resources answers all of it as __unallocated__.
 * - With filter.resourceTypes: only the resources of those types, whose points are then the
 *   report's points (nothing is unallocated: the filter asks for resources only).
 *
 * When the account's points arrive but its sub-accounts or resources cannot be read, the points
 * are kept, wholly __unallocated__, and `onPartsFailed` hears why (the report names the source and
 * is incomplete); any other failure rejects, and the account is missing from the report.
 */
export async function collectAccountRows(
  api: SourceApi,
  source: SourceModel,
  account: AccountModel,
  window: BucketedWindow,
  scope: ReportScope,
  onPartsFailed: (error: unknown) => void,
): Promise<AccountRows> {
  const keep = (points: readonly ConsumptionPointModel[]) =>
    scope.metrics ? points.filter((p) => scope.metrics!.has(p.metric)) : [...points];
  const owner = labelled(account);
  const hasSubAccounts = typeof api.subAccounts === 'function';
  const wantsSub = scope.dimensions.includes('SUB_ACCOUNT');
  const subAccounts: SubAccount[] = wantsSub && api.subAccounts ? await api.subAccounts(account) : [];
  // Where a source has sub-accounts, consumption none of them explains is unallocated among them.
  const unexplained: RowOrigin = { source, account: owner, subAccount: hasSubAccounts ? null : owner, resource: null };

  const resourceRows = async (
    types: ReportScope['resourceTypes'],
  ): Promise<{ points: ConsumptionPointModel[]; rows: ReportRow[] }> => {
    const resources = await api.resources!(account, types);
    const byId = new Map(subAccounts.map((s) => [s.id, labelled(s)]));
    const subOf = (resource: ResourceModel): Labelled | null => {
      if (!hasSubAccounts) return owner;
      const id = api.subAccountOf?.(resource) ?? null;
      return id === null ? null : (byId.get(id) ?? { id, name: null });
    };
    const perResource = await Promise.all(resources.map((r) => api.resourceConsumption!(r, window)));
    const points: ConsumptionPointModel[] = [];
    const rows: ReportRow[] = [];
    resources.forEach((r, i) => {
      const own = keep(perResource[i]!);
      points.push(...own);
      rows.push(
        ...rowsOfPoints(own, {
          source,
          account: owner,
          subAccount: subOf(r),
          resource: { id: r.id, name: r.name ?? null, type: r.type },
        }),
      );
    });
    return { points, rows };
  };

  const hasResources = typeof api.resources === 'function' && typeof api.resourceConsumption === 'function';
  if (scope.resourceTypes) return hasResources ? resourceRows(scope.resourceTypes) : { points: [], rows: [] };

  const points = keep(await api.accountConsumption(account, window));
  if (scope.level === 'ACCOUNT') return { points, rows: rowsOfPoints(points, { ...unexplained, subAccount: owner }) };
  const accountRows = rowsOfPoints(points, unexplained);
  let parts: ReportRow[] | null = null;
  try {
    if (scope.level === 'RESOURCE' && hasResources) parts = (await resourceRows(null)).rows;
    else if (wantsSub && hasSubAccounts) {
      const perSub = await Promise.all(subAccounts.map((s) => s.consumption(window)));
      parts = subAccounts.flatMap((s, i) =>
        rowsOfPoints(keep(perSub[i]!), { source, account: owner, subAccount: labelled(s), resource: null }),
      );
    }
  } catch (error) {
    // The account's own consumption is known; only its split is not. Keep it, all unallocated,
    // so the totals and groups still add up, and name the failure.
    onPartsFailed(error);
    return { points, rows: rowsOfPoints(points, { ...unexplained, subAccount: null }) };
  }
  return { points, rows: parts ? [...parts, ...remainderRows(accountRows, parts, unexplained)] : accountRows };
}

/**
 * The account-level points the ledger answered for a source (src/ledger: whole-source reads), as
 * one AccountRows per account in the order they came: named from `listed` when the report listed
 * the accounts (grouping or filtering by account), else by id only — the ledger keeps no names.
 * Points of all accounts together (accountProviderId '', read for reports that neither show points
 * nor group or filter by account) are one AccountRows whose account has the empty id.
 */
export function accountRowsOfLedger(
  source: SourceModel,
  points: readonly ConsumptionPointModel[],
  listed: readonly AccountModel[] | null,
  scope: ReportScope,
): AccountRows[] {
  const byProviderId = new Map(listed?.map((a) => [a.providerId, a]));
  const perAccount = new Map<string, ConsumptionPointModel[]>();
  for (const point of points) {
    if (scope.metrics && !scope.metrics.has(point.metric)) continue;
    const list = perAccount.get(point.accountProviderId);
    if (list) list.push(point);
    else perAccount.set(point.accountProviderId, [point]);
  }
  const out: AccountRows[] = [];
  for (const [providerId, own] of perAccount) {
    const account = byProviderId.get(providerId);
    if (listed && !account && scope.accounts) continue;
    const id = providerId === '' ? '' : (account?.id ?? encodeId('Account', source.id, providerId));
    if (scope.accounts && !scope.accounts.has(id)) continue;
    const owner: Labelled = { id, name: account?.name ?? null };
    out.push({ points: own, rows: rowsOfPoints(own, { source, account: owner, subAccount: owner, resource: null }) });
  }
  return out;
}
