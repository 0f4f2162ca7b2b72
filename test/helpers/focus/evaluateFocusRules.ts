/**
 * Evaluates the FOCUS requirements model (loadFocusModel) against one exported dataset, for the
 * FOCUS conformance test of the exporter. It mirrors the semantics of the FinOps Foundation's
 * focus_validator (focus_validator/config_objects/focus_to_duckdb_converter.py and
 * rule_dependency_resolver.py) where they are stated, and says so where it departs:
 *
 * - Which rules: those reached from the dataset's root rules (ModelDatasets) through Dependencies
 *   and CheckModelRule references, attribute rules (ColumnHandling-A-…) included.
 * - Applicability: a rule with ApplicabilityCriteria applies when ANY of them is declared (as
 *   focus_validator's _check_rule_applicability; `criteriaMatch: 'all'` reads them as the text does). A rule that does not apply takes along what only
 *   it reaches (a column's composite takes its type, format and nullability rules), and when a
 *   column's presence rule does not apply no rule of that column does (focus_validator's "column
 *   family"; it matches rule id prefixes, which in 1.3 are all "CAU", so it is done here by EntityId).
 * - Dynamic rules are skipped (skipped-dynamic), MAY/OPTIONAL rules too (skipped-optional, as
 *   focus_validator's SkippedOptionalCheck), and rules with Status "Removed" (skipped-removed).
 *   SHOULD and RECOMMENDED rules are evaluated; each result carries the Keyword to weigh them.
 * - Conditions: a rule's Condition selects the rows its requirement applies to, ANDed with the
 *   Condition of every composite that references it, transitively (focus_validator does one level).
 *   A column a condition reads that the dataset lacks reads as null, and the reason says so.
 * - Nulls: FOCUS CSV has no null but the empty field, so an empty string IS null here (and the
 *   NullHandling rule "MUST NOT use empty strings" cannot be checked on a CSV). Requirements skip
 *   null values, as focus_validator's SQL does (`X IS NOT NULL AND …`); nullability is checked by
 *   the CheckValue/CheckNotValue rules.
 * - A leaf whose column is absent is skipped-column-absent, naming the column's presence rule; a
 *   composite that depends on a presence rule that failed fails (focus_validator's
 *   failed_presence_checks); a rule that depends on a skipped rule is skipped, a composite only when
 *   all its children are.
 * - Composites: AND fails when an item fails; OR passes when an item passes; skipped items count as
 *   neither. An item the evaluator cannot judge makes the composite not-evaluable, never passed.
 */
import type { FocusCheck, FocusModel, FocusRule } from './loadFocusModel.js';
import { compileRowCheck, type Row, type RowCheck, type Unsupported } from './rowChecks.js';
import { parsePath, select } from './jsonPath.js';

export type FocusRuleStatus =
  | 'passed'
  | 'failed'
  | 'skipped-criteria'
  | 'skipped-dynamic'
  | 'skipped-optional'
  | 'skipped-removed'
  | 'skipped-column-absent'
  | 'not-evaluable'
  | 'overridden';

export const FOCUS_RULE_STATUSES: readonly FocusRuleStatus[] = [
  'passed',
  'failed',
  'skipped-criteria',
  'skipped-dynamic',
  'skipped-optional',
  'skipped-removed',
  'skipped-column-absent',
  'not-evaluable',
  'overridden',
];

export interface FocusRuleResult {
  readonly id: string;
  /** The column the rule is about (EntityId of a column rule; the column of a presence rule). */
  readonly column?: string;
  readonly keyword: string;
  readonly type: 'Static' | 'Dynamic';
  /** The model's Function: a "Composite" only aggregates other rules, whose keywords may be weaker. */
  readonly function: string;
  readonly status: FocusRuleStatus;
  readonly reason?: string;
  /** Up to five violating rows: their index in `dataset.rows` and the values the check read. */
  readonly examples?: unknown[];
}

export interface FocusDataset {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string | null>>>;
}

export interface EvaluateOptions {
  readonly dataset: 'CostAndUsage';
  /** The applicability criteria the exporter declares, exactly as the model names them. */
  readonly criteria: ReadonlySet<string>;
  /**
   * How a rule's several ApplicabilityCriteria combine. 'any' (the default) is focus_validator's
   * reading; 'all' is the specification text's ("when the service provider supports prices in
   * virtual currency and publishes unit prices…"), which every 1.3 rule with two criteria says.
   */
  readonly criteriaMatch?: 'any' | 'all';
  /** Rules the caller has judged by hand: rule id → why. Their status is overridden. */
  readonly overrides?: Readonly<Record<string, string>>;
}

export interface FocusEvaluation {
  readonly rules: FocusRuleResult[];
  readonly counts: Readonly<Record<FocusRuleStatus, number>> & {
    readonly total: number;
    readonly static: number;
    readonly dynamic: number;
  };
}

interface Outcome {
  readonly status: FocusRuleStatus;
  readonly reason?: string;
  readonly examples?: unknown[];
}

const SKIPS = new Set<FocusRuleStatus>([
  'skipped-criteria',
  'skipped-dynamic',
  'skipped-optional',
  'skipped-removed',
  'skipped-column-absent',
]);
const isPass = (o: Outcome) => o.status === 'passed' || o.status === 'overridden';
const isSkip = (o: Outcome) => SKIPS.has(o.status);
const MAX_EXAMPLES = 5;

/** Rule ids a check references with CheckModelRule, at any depth of AND/OR. */
function modelRuleRefs(check: FocusCheck): string[] {
  if (check.CheckFunction === 'CheckModelRule') return typeof check.ModelRuleId === 'string' ? [check.ModelRuleId] : [];
  return Array.isArray(check.Items) ? (check.Items as FocusCheck[]).flatMap(modelRuleRefs) : [];
}

const refsOf = (rule: FocusRule): string[] => [
  ...new Set([...rule.ValidationCriteria.Dependencies, ...modelRuleRefs(rule.ValidationCriteria.Requirement)]),
];

const isPresenceRule = (rule: FocusRule) =>
  rule.Function === 'Presence' && rule.ValidationCriteria.Requirement.CheckFunction === 'ColumnPresent';

const columnOf = (rule: FocusRule): string | undefined =>
  rule.EntityType === 'Column'
    ? rule.EntityId
    : isPresenceRule(rule)
      ? (rule.ValidationCriteria.Requirement.ColumnName as string)
      : undefined;

const isEmptyCheck = (check: FocusCheck) => Object.keys(check).length === 0;

export function evaluateFocusRules(
  model: FocusModel,
  dataset: FocusDataset,
  options: EvaluateOptions,
): FocusEvaluation {
  const all = model.ModelRules;
  const roots = model.ModelDatasets[options.dataset]?.ModelRules ?? [];
  const overrides = options.overrides ?? {};
  const declared = options.criteria;
  const unknownCriteria = [...declared].filter((c) => !(c in model.ApplicabilityCriteria));
  if (unknownCriteria.length > 0) {
    throw new Error(
      `criteria not in the model: ${unknownCriteria.join(', ')} (the model names ${Object.keys(model.ApplicabilityCriteria).join(', ')})`,
    );
  }
  for (const id of Object.keys(overrides))
    if (!(id in all)) throw new Error(`override for rule ${id}, which the model does not have`);

  // --- The rules of the dataset: everything its roots reach. ------------------------------------
  const inScope = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (inScope.has(id) || !(id in all)) continue;
    inScope.add(id);
    queue.push(...refsOf(all[id]!));
  }
  for (const [id, rule] of Object.entries(all)) if (rule.DatasetId === options.dataset) inScope.add(id);

  // --- Applicability. --------------------------------------------------------------------------
  const matchAll = options.criteriaMatch === 'all';
  const ownApplies = (rule: FocusRule) =>
    rule.ApplicabilityCriteria.length === 0 ||
    (matchAll
      ? rule.ApplicabilityCriteria.every((c) => declared.has(c))
      : rule.ApplicabilityCriteria.some((c) => declared.has(c)));
  const missingCriteria = (rule: FocusRule) => rule.ApplicabilityCriteria.join(matchAll ? ' and ' : ' or ');
  /** Columns whose presence rule does not apply: every rule of theirs is out too. */
  const columnsOut = new Map<string, string>();
  for (const id of inScope) {
    const rule = all[id]!;
    if (isPresenceRule(rule) && !ownApplies(rule)) columnsOut.set(columnOf(rule)!, id);
  }
  const notApplicable = new Map<string, string>();
  const applicable = new Set<string>();
  const reach = [...roots];
  while (reach.length > 0) {
    const id = reach.shift()!;
    if (applicable.has(id) || !(id in all)) continue;
    const rule = all[id]!;
    if (!ownApplies(rule)) {
      notApplicable.set(id, `needs ${missingCriteria(rule)}, not declared`);
      continue;
    }
    const col = columnOf(rule);
    const presence = col === undefined ? undefined : columnsOut.get(col);
    if (presence !== undefined && presence !== id) {
      notApplicable.set(
        id,
        `column ${col}: its presence rule ${presence} needs ${missingCriteria(all[presence]!)}, not declared`,
      );
      continue;
    }
    // focus_validator: a rule with criteria also needs every rule it depends on to apply.
    const parentOut =
      rule.ApplicabilityCriteria.length > 0
        ? rule.ValidationCriteria.Dependencies.find((d) => d in all && !ownApplies(all[d]!))
        : undefined;
    if (parentOut !== undefined) {
      notApplicable.set(id, `depends on ${parentOut}, which needs ${missingCriteria(all[parentOut]!)}, not declared`);
      continue;
    }
    applicable.add(id);
    reach.push(...refsOf(rule));
  }
  const referencedBy = new Map<string, string[]>();
  for (const id of inScope) {
    for (const ref of refsOf(all[id]!)) referencedBy.set(ref, [...(referencedBy.get(ref) ?? []), id]);
  }
  const criteriaReason = (id: string): string => {
    const own = notApplicable.get(id);
    if (own !== undefined) return own;
    const via = (referencedBy.get(id) ?? []).find((p) => notApplicable.has(p)) ?? (referencedBy.get(id) ?? [])[0];
    return via === undefined
      ? 'not reached from the dataset root'
      : `only reached through ${via}, which does not apply (${notApplicable.get(via) ?? criteriaReason(via)})`;
  };

  // --- Row filters: own Condition AND the Conditions of every composite referencing the rule. ---
  const opts = { virtualCurrency: declared.has('VIRTUAL_CURRENCY_SUPPORTED') };
  const conditionsOf = (id: string, seen = new Set<string>()): FocusCheck[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    const own = all[id]!.ValidationCriteria.Condition;
    const inherited = (referencedBy.get(id) ?? [])
      .filter(
        (p) => all[p]!.Function === 'Composite' && modelRuleRefs(all[p]!.ValidationCriteria.Requirement).includes(id),
      )
      .flatMap((p) => conditionsOf(p, seen));
    return [...(isEmptyCheck(own) ? [] : [own]), ...inherited];
  };
  const present = new Set(dataset.columns);
  const rows: Row[] = dataset.rows.map((raw) => {
    const row: Record<string, string | null> = {};
    for (const col of dataset.columns) {
      const v = raw[col];
      row[col] = v === undefined || v === '' ? null : v;
    }
    return row;
  });
  type Filter = { rows: Array<{ row: Row; index: number }>; note?: string } | Unsupported;
  const filterFor = (id: string): Filter => {
    const conditions = conditionsOf(id);
    const indexed = rows.map((row, index) => ({ row, index }));
    if (conditions.length === 0) return { rows: indexed };
    const compiled: RowCheck[] = [];
    for (const condition of conditions) {
      if (typeof condition.CheckFunction !== 'string') {
        return { unsupported: `Condition without a CheckFunction: ${JSON.stringify(condition)}` };
      }
      const c = compileRowCheck(condition, opts, 'condition');
      if ('unsupported' in c) return { unsupported: `Condition: ${c.unsupported}` };
      compiled.push(c);
    }
    const absent = [...new Set(compiled.flatMap((c) => c.columns))].filter((c) => !present.has(c));
    const result = indexed.filter(({ row }) => compiled.every((c) => c.holds(row)));
    return absent.length > 0
      ? { rows: result, note: `the condition reads ${absent.join(', ')}, absent, as null` }
      : { rows: result };
  };

  const presenceRuleOf = new Map<string, string>();
  for (const id of inScope) {
    const rule = all[id]!;
    if (isPresenceRule(rule) && rule.DatasetId === options.dataset) presenceRuleOf.set(columnOf(rule)!, id);
  }

  // --- Evaluation, memoised: a CheckModelRule reads the referenced rule's outcome. --------------
  const outcomes = new Map<string, Outcome>();
  const inProgress = new Set<string>();

  const outcomeOf = (id: string): Outcome => {
    const known = outcomes.get(id);
    if (known) return known;
    if (!(id in all)) return { status: 'not-evaluable', reason: `the model has no rule ${id}` };
    if (inProgress.has(id))
      return { status: 'not-evaluable', reason: `rule ${id} references itself through its children` };
    inProgress.add(id);
    const outcome = judge(id);
    inProgress.delete(id);
    outcomes.set(id, outcome);
    return outcome;
  };

  const judge = (id: string): Outcome => {
    const rule = all[id]!;
    const vc = rule.ValidationCriteria;
    if (rule.Status === 'Removed')
      return { status: 'skipped-removed', reason: `removed in model ${rule.ModelVersionRemoved ?? '?'}` };
    if (!applicable.has(id)) return { status: 'skipped-criteria', reason: criteriaReason(id) };
    const override = overrides[id];
    if (override !== undefined) return { status: 'overridden', reason: override };
    if (rule.Type === 'Dynamic')
      return { status: 'skipped-dynamic', reason: 'Dynamic rule: needs knowledge beyond the dataset' };
    if (vc.Keyword === 'MAY' || vc.Keyword === 'OPTIONAL')
      return { status: 'skipped-optional', reason: `${vc.Keyword}: not enforced` };
    if (isEmptyCheck(vc.Requirement)) return { status: 'not-evaluable', reason: 'Static rule without a Requirement' };

    // Dependencies first, as focus_validator's _apply_dependency_skips.
    const deps = vc.Dependencies.filter((d) => d in all).map((d) => ({ id: d, outcome: outcomeOf(d) }));
    const failedPresence = deps.filter((d) => d.outcome.status === 'failed' && isPresenceRule(all[d.id]!));
    const skippedDeps = deps.filter((d) => isSkip(d.outcome) && d.outcome.status !== 'skipped-dynamic');

    const filter = filterFor(id);
    if ('unsupported' in filter) return { status: 'not-evaluable', reason: filter.unsupported };
    const own = evaluateCheck(vc.Requirement, filter.rows);
    const withNote = (o: Outcome): Outcome =>
      filter.note === undefined
        ? o
        : { ...o, reason: o.reason === undefined ? filter.note : `${o.reason}; ${filter.note}` };

    if (rule.Function === 'Composite') {
      if (failedPresence.length > 0) {
        return {
          status: 'failed',
          reason: `required column not present: ${failedPresence.map((d) => `${d.id} failed`).join(', ')}`,
        };
      }
      return withNote(own);
    }
    if (skippedDeps.length > 0 && own.status !== 'failed') {
      return {
        status: skippedDeps[0]!.outcome.status,
        reason: `depends on ${skippedDeps.map((d) => `${d.id} (${d.outcome.status})`).join(', ')}`,
      };
    }
    return withNote(own);
  };

  const absentOutcome = (columns: readonly string[]): Outcome | undefined => {
    const absent = columns.filter((c) => !present.has(c));
    if (absent.length === 0) return undefined;
    const why = absent.map((c) => {
      const p = presenceRuleOf.get(c);
      return p === undefined ? `${c} (no presence rule)` : `${c} (presence rule ${p}: ${outcomeOf(p).status})`;
    });
    return { status: 'skipped-column-absent', reason: `column absent: ${why.join(', ')}` };
  };

  const runRowCheck = (check: RowCheck, scope: ReadonlyArray<{ row: Row; index: number }>): Outcome => {
    const absent = absentOutcome(check.columns);
    if (absent) return absent;
    const violations = scope.filter(({ row }) => !check.holds(row));
    if (violations.length === 0) return { status: 'passed' };
    return {
      status: 'failed',
      reason: `${violations.length} of ${scope.length} rows violate it`,
      examples: violations.slice(0, MAX_EXAMPLES).map(({ row, index }) => ({
        row: index,
        values: Object.fromEntries(check.columns.map((c) => [c, row[c] ?? null])),
      })),
    };
  };

  const evaluateCheck = (check: FocusCheck, scope: ReadonlyArray<{ row: Row; index: number }>): Outcome => {
    const fn = check.CheckFunction;
    switch (fn) {
      case 'CheckModelRule':
        return typeof check.ModelRuleId === 'string'
          ? refOutcome(check.ModelRuleId)
          : { status: 'not-evaluable', reason: 'CheckModelRule without ModelRuleId' };
      case 'ColumnPresent': {
        const col = check.ColumnName;
        if (typeof col !== 'string') return { status: 'not-evaluable', reason: 'ColumnPresent without ColumnName' };
        return present.has(col)
          ? { status: 'passed' }
          : { status: 'failed', reason: `column ${col} is not in the dataset` };
      }
      case 'CheckDistinctCount':
        return distinctCount(check, scope);
      case 'JSONCheckPathDistinctParent':
        return jsonDistinctParent(check, scope);
      case 'AND':
      case 'OR': {
        const items = Array.isArray(check.Items) ? (check.Items as FocusCheck[]) : [];
        if (items.length === 0) return { status: 'not-evaluable', reason: `${fn} without Items` };
        // All row-level items: combine per row, so that an OR holds when each row meets some item.
        const compiled = compileRowCheck(check, opts, 'requirement');
        if (!('unsupported' in compiled)) return runRowCheck(compiled, scope);
        return combine(
          fn,
          items.map((item) => evaluateCheck(item, scope)),
        );
      }
      default: {
        const compiled = compileRowCheck(check, opts, 'requirement');
        if ('unsupported' in compiled) return { status: 'not-evaluable', reason: compiled.unsupported };
        return runRowCheck(compiled, scope);
      }
    }
  };

  const refOutcome = (id: string): Outcome => {
    const o = outcomeOf(id);
    return o.status === 'failed' || o.status === 'not-evaluable'
      ? { ...o, reason: `${id}: ${o.reason ?? o.status}` }
      : o;
  };

  const combine = (fn: 'AND' | 'OR', items: Outcome[]): Outcome => {
    const failed = items.filter((o) => o.status === 'failed');
    const unknown = items.filter((o) => o.status === 'not-evaluable');
    const judged = items.filter((o) => !isSkip(o));
    if (judged.length === 0) {
      return {
        status: items[0]!.status,
        reason: `every item skipped (${[...new Set(items.map((o) => o.status))].join(', ')})`,
      };
    }
    if (fn === 'AND') {
      if (failed.length > 0)
        return {
          status: 'failed',
          reason: failed.map((o) => o.reason).join('; '),
          examples: failed.flatMap((o) => o.examples ?? []).slice(0, MAX_EXAMPLES),
        };
      if (unknown.length > 0) return { status: 'not-evaluable', reason: unknown.map((o) => o.reason).join('; ') };
      return { status: 'passed' };
    }
    if (judged.some(isPass)) return { status: 'passed' };
    if (unknown.length > 0) return { status: 'not-evaluable', reason: unknown.map((o) => o.reason).join('; ') };
    return { status: 'failed', reason: `no alternative holds: ${failed.map((o) => o.reason).join('; ')}` };
  };

  /** For each non-null A, COUNT(DISTINCT B) over non-null B must be ExpectedCount (null A is no group). */
  const distinctCount = (check: FocusCheck, scope: ReadonlyArray<{ row: Row; index: number }>): Outcome => {
    const { ColumnAName: a, ColumnBName: b, ExpectedCount: n } = check;
    if (typeof a !== 'string' || typeof b !== 'string' || typeof n !== 'number') {
      return { status: 'not-evaluable', reason: `malformed CheckDistinctCount: ${JSON.stringify(check)}` };
    }
    const absent = absentOutcome([a, b]);
    if (absent) return absent;
    const groups = new Map<string, Set<string>>();
    for (const { row } of scope) {
      const ka = row[a] ?? null;
      if (ka === null) continue;
      const set = groups.get(ka) ?? new Set<string>();
      const vb = row[b] ?? null;
      if (vb !== null) set.add(vb);
      groups.set(ka, set);
    }
    const bad = [...groups].filter(([, set]) => set.size !== n);
    if (bad.length === 0) return { status: 'passed' };
    return {
      status: 'failed',
      reason: `${bad.length} ${a} value(s) have other than ${n} distinct ${b}`,
      examples: bad.slice(0, MAX_EXAMPLES).map(([key, set]) => ({ [a]: key, [b]: [...set] })),
    };
  };

  /**
   * For each distinct child value (ChildPath) the elements of one array must name ExpectedCount
   * distinct parents (ParentPath), across the dataset; both paths must share their `[*]` prefix.
   */
  const jsonDistinctParent = (check: FocusCheck, scope: ReadonlyArray<{ row: Row; index: number }>): Outcome => {
    const { ColumnName: col, ParentPath: pp, ChildPath: cp, ExpectedCount: n } = check;
    if (typeof col !== 'string' || typeof pp !== 'string' || typeof cp !== 'string' || typeof n !== 'number') {
      return { status: 'not-evaluable', reason: `malformed JSONCheckPathDistinctParent: ${JSON.stringify(check)}` };
    }
    const cut = (p: string) => p.lastIndexOf('[*]');
    const prefix = pp.slice(0, cut(pp) + 3);
    if (cut(pp) < 0 || prefix !== cp.slice(0, cut(cp) + 3)) {
      return { status: 'not-evaluable', reason: `JSONCheckPathDistinctParent: ${pp} and ${cp} share no [*] prefix` };
    }
    const [elements, parentKey, childKey] = [
      parsePath(prefix),
      parsePath(`$${pp.slice(prefix.length)}`),
      parsePath(`$${cp.slice(prefix.length)}`),
    ];
    if (!elements || !parentKey || !childKey)
      return { status: 'not-evaluable', reason: `JSONCheckPathDistinctParent: unsupported path ${pp} / ${cp}` };
    const absent = absentOutcome([col]);
    if (absent) return absent;
    const parents = new Map<string, Set<string>>();
    for (const { row } of scope) {
      const text = row[col] ?? null;
      if (text === null) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue; // FormatJSON reports it.
      }
      for (const el of select(parsed, elements)) {
        const child = select(el.value, childKey)[0];
        const parent = select(el.value, parentKey)[0];
        if (!child?.exists || child.value === null) continue;
        const key = JSON.stringify(child.value);
        const set = parents.get(key) ?? new Set<string>();
        if (parent?.exists && parent.value !== null) set.add(JSON.stringify(parent.value));
        parents.set(key, set);
      }
    }
    const bad = [...parents].filter(([, set]) => set.size !== n);
    return bad.length === 0
      ? { status: 'passed' }
      : {
          status: 'failed',
          reason: `${bad.length} value(s) at ${cp} have other than ${n} distinct ${pp}`,
          examples: bad.slice(0, MAX_EXAMPLES).map(([k, s]) => ({ child: k, parents: [...s] })),
        };
  };

  // --- Results, in the model's order. ------------------------------------------------------------
  const results: FocusRuleResult[] = [];
  for (const id of Object.keys(all)) {
    if (!inScope.has(id)) continue;
    const rule = all[id]!;
    const outcome = outcomeOf(id);
    const column = columnOf(rule);
    results.push({
      id,
      ...(column === undefined ? {} : { column }),
      keyword: rule.ValidationCriteria.Keyword,
      type: rule.Type,
      function: rule.Function,
      status: outcome.status,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      ...(outcome.examples === undefined || outcome.examples.length === 0 ? {} : { examples: outcome.examples }),
    });
  }
  const byStatus = Object.fromEntries(FOCUS_RULE_STATUSES.map((s) => [s, 0])) as Record<FocusRuleStatus, number>;
  for (const r of results) byStatus[r.status]++;
  return {
    rules: results,
    counts: {
      ...byStatus,
      total: results.length,
      static: results.filter((r) => r.type === 'Static').length,
      dynamic: results.filter((r) => r.type === 'Dynamic').length,
    },
  };
}
