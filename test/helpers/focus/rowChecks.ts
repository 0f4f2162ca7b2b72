/**
 * The model's row-level check functions as predicates on one row, in the two modes focus_validator
 * compiles them to (focus_to_duckdb_converter.py): as a requirement (which rows violate it) and as
 * a Condition (which rows the rule applies to). Like its SQL, every requirement ignores a row where
 * the checked column is null: nullability is the business of the CheckValue/CheckNotValue rules.
 *
 * Checks that look at the whole dataset (ColumnPresent, CheckDistinctCount, CheckModelRule,
 * JSONCheckPathDistinctParent) are in evaluateFocusRules.ts.
 */
import { ISO_4217_CODES } from './currencyCodes.js';
import {
  isDateTimeFormat,
  isDateTimeType,
  isDecimal,
  isJsonObjectFormat,
  isKeyValueFormat,
  isNumericFormat,
  isStringHandling,
  isUnitFormat,
} from './formats.js';
import { parsePath, select, type PathHit } from './jsonPath.js';
import type { FocusCheck } from './loadFocusModel.js';

/** A row as the evaluator sees it: empty strings already turned into null. */
export type Row = Readonly<Record<string, string | null>>;

export interface RowCheck {
  /** Columns the check reads: when one is absent the check cannot run. */
  readonly columns: readonly string[];
  /** Whether the row satisfies the check. */
  readonly holds: (row: Row) => boolean;
}

/** A check the evaluator cannot compile, with the reason it gives instead of a verdict. */
export interface Unsupported {
  readonly unsupported: string;
}

export interface RowCheckOptions {
  /** Whether the exporter declared VIRTUAL_CURRENCY_SUPPORTED (CurrencyFormat accepts a virtual currency then). */
  readonly virtualCurrency: boolean;
}

const str = (check: FocusCheck, key: string): string | undefined =>
  typeof check[key] === 'string' ? (check[key] as string) : undefined;

/** The model writes Value as a string, a number or null; a CSV cell is text. */
const asText = (value: unknown): string | null =>
  value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** A leaf that holds when the named column is null or its value passes `test`. */
function valueCheck(check: FocusCheck, test: (value: string) => boolean): RowCheck | Unsupported {
  const col = str(check, 'ColumnName');
  if (col === undefined) return malformed(check, 'ColumnName');
  return {
    columns: [col],
    holds: (row) => {
      const v = row[col] ?? null;
      return v === null || test(v);
    },
  };
}

function malformed(check: FocusCheck, missing: string): Unsupported {
  return {
    unsupported: `malformed check in the model: ${String(check.CheckFunction)} without ${missing} (${JSON.stringify(check)})`,
  };
}

/**
 * A requirement or a Condition as a row predicate. `mode` matters only for CheckValue with a value
 * and CheckNotValue, where focus_validator's condition predicate and requirement differ: as a
 * requirement `CheckValue(X, 'a')` is violated by a null X too, as a condition it selects X = 'a'.
 */
export function compileRowCheck(
  check: FocusCheck,
  options: RowCheckOptions,
  mode: 'requirement' | 'condition',
): RowCheck | Unsupported {
  const fn = check.CheckFunction;
  switch (fn) {
    case 'AND':
    case 'OR': {
      const items = Array.isArray(check.Items) ? (check.Items as FocusCheck[]) : undefined;
      if (!items || items.length === 0) return malformed(check, 'Items');
      const parts = items.map((item) => compileRowCheck(item, options, mode));
      const bad = parts.find((p): p is Unsupported => 'unsupported' in p);
      if (bad) return bad;
      const checks = parts as RowCheck[];
      return {
        columns: [...new Set(checks.flatMap((c) => c.columns))],
        holds: fn === 'AND' ? (row) => checks.every((c) => c.holds(row)) : (row) => checks.some((c) => c.holds(row)),
      };
    }
    case 'CheckValue': {
      const col = str(check, 'ColumnName');
      if (col === undefined || !('Value' in check)) return malformed(check, 'ColumnName or Value');
      const want = asText(check.Value);
      // Requirement and condition agree: X IS NULL, or X = 'a' (a null X is neither).
      return { columns: [col], holds: (row) => (row[col] ?? null) === want };
    }
    case 'CheckNotValue': {
      const col = str(check, 'ColumnName');
      if (col === undefined || !('Value' in check)) return malformed(check, 'ColumnName or Value');
      const not = asText(check.Value);
      if (not === null) return { columns: [col], holds: (row) => (row[col] ?? null) !== null };
      // Requirement: only a non-null X equal to the value violates; condition: X non-null and different.
      return mode === 'requirement'
        ? { columns: [col], holds: (row) => (row[col] ?? null) !== not }
        : { columns: [col], holds: (row) => (row[col] ?? null) !== null && row[col] !== not };
    }
    case 'CheckSameValue': {
      const a = str(check, 'ColumnAName');
      const b = str(check, 'ColumnBName');
      if (a === undefined || b === undefined) return malformed(check, 'ColumnAName or ColumnBName');
      return {
        columns: [a, b],
        holds: (row) => {
          const va = row[a] ?? null;
          const vb = row[b] ?? null;
          return mode === 'requirement' ? va === null || vb === null || va === vb : va !== null && va === vb;
        },
      };
    }
    case 'CheckGreaterOrEqualThanValue': {
      const col = str(check, 'ColumnName');
      if (col === undefined || typeof check.Value !== 'number')
        return malformed(check, 'ColumnName or a numeric Value');
      const min = check.Value;
      // A value that is no number is the type rule's failure, not this one's.
      return {
        columns: [col],
        holds: (row) => {
          const v = row[col] ?? null;
          if (v === null || !isDecimal(v)) return mode === 'requirement';
          return Number(v) >= min;
        },
      };
    }
    case 'ColumnByColumnEqualsColumnValue': {
      const a = str(check, 'ColumnAName');
      const b = str(check, 'ColumnBName');
      const r = str(check, 'ResultColumnName');
      if (a === undefined || b === undefined || r === undefined)
        return malformed(check, 'ColumnAName, ColumnBName or ResultColumnName');
      return {
        columns: [a, b, r],
        holds: (row) => {
          const [va, vb, vr] = [row[a] ?? null, row[b] ?? null, row[r] ?? null];
          if (va === null || vb === null || vr === null || !isDecimal(va) || !isDecimal(vb) || !isDecimal(vr)) {
            return mode === 'requirement';
          }
          return productMatches(Number(va), Number(vb), Number(vr));
        },
      };
    }
    case 'TypeString':
      // Every cell of a CSV (and every value in the dataset this evaluator takes) is text.
      return valueCheck(check, () => true);
    case 'TypeDecimal':
    case 'CheckDecimalValue':
      return valueCheck(check, isDecimal);
    case 'TypeDateTime':
      return valueCheck(check, isDateTimeType);
    case 'FormatDateTime':
      return valueCheck(check, isDateTimeFormat);
    case 'FormatNumeric':
      return valueCheck(check, isNumericFormat);
    case 'FormatString':
      return valueCheck(check, isStringHandling);
    case 'FormatUnit':
      return valueCheck(check, isUnitFormat);
    case 'FormatKeyValue':
      return valueCheck(check, isKeyValueFormat);
    case 'CheckNationalCurrency':
      return valueCheck(check, (v) => ISO_4217_CODES.has(v));
    case 'FormatCurrency':
      // CurrencyFormat: an ISO 4217 code for a national currency; StringHandling for a virtual one.
      return valueCheck(check, (v) => ISO_4217_CODES.has(v) || (options.virtualCurrency && isStringHandling(v)));
    case 'FormatJSON': {
      if (check.Path !== '$')
        return { unsupported: `FormatJSON at path ${String(check.Path)}: only "$" is implemented` };
      return valueCheck(check, isJsonObjectFormat);
    }
    default:
      if (typeof fn === 'string' && fn.startsWith('JSON')) return compileJsonCheck(check, mode);
      return { unsupported: `check function ${String(fn)} is not row-level or not implemented` };
  }
}

/**
 * Products are compared with a relative tolerance of 1e-9: the values are decimal text a float
 * cannot always hold exactly (0.1 * 3 !== 0.3), and FOCUS sets no precision of its own.
 */
function productMatches(a: number, b: number, result: number): boolean {
  return Math.abs(a * b - result) <= 1e-9 * Math.max(1, Math.abs(result));
}

const JSON_TYPES: Readonly<Record<string, (v: unknown) => boolean>> = {
  Array: Array.isArray,
  Object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  String: (v) => typeof v === 'string',
  Decimal: (v) => typeof v === 'number' || (typeof v === 'string' && isDecimal(v)),
  Boolean: (v) => typeof v === 'boolean',
};

/** A JSON number is a number; a JSON string holding a number must be in NumericFormat. */
const jsonNumeric = (v: unknown): boolean => typeof v === 'number' || (typeof v === 'string' && isNumericFormat(v));

/**
 * The JSONCheckPath* and JSONFormat* checks on one column holding a JSON object. A row whose column
 * is null holds; a row whose value is no JSON violates any path requirement (FormatJSON says why).
 */
function compileJsonCheck(check: FocusCheck, mode: 'requirement' | 'condition'): RowCheck | Unsupported {
  const fn = String(check.CheckFunction);
  const col = str(check, fn === 'JSONCheckPathSameValue' ? 'ColumnAName' : 'ColumnName');
  const pathText = str(check, fn === 'JSONCheckPathSameValue' ? 'PathA' : 'Path');
  if (col === undefined || pathText === undefined) return malformed(check, 'the column or the path');
  const steps = parsePath(pathText);
  if (!steps) return { unsupported: `${fn}: JSON path ${pathText} uses more than $, .Key and [*]` };

  let test: (hits: PathHit[], row: Row) => boolean;
  const extraColumns: string[] = [];
  const existing = (hits: PathHit[]) => hits.filter((h) => h.exists);
  switch (fn) {
    case 'JSONCheckPathType': {
      const expected = str(check, 'ExpectedType');
      const isType = expected === undefined ? undefined : JSON_TYPES[expected];
      if (!isType) return { unsupported: `JSONCheckPathType: ExpectedType ${String(expected)} is not implemented` };
      test = (hits) => existing(hits).every((h) => h.value === null || isType(h.value));
      break;
    }
    case 'JSONCheckPathKeyExists':
      test = (hits) => hits.every((h) => h.exists);
      break;
    case 'JSONCheckPathKeyValueFormat':
      test = (hits) =>
        existing(hits).every(
          (h) =>
            JSON_TYPES.Object!(h.value) &&
            Object.values(h.value as Record<string, unknown>).every((v) => v === null || typeof v !== 'object'),
        );
      break;
    case 'JSONCheckPathKeyStartsWith': {
      const prefix = str(check, 'Prefix');
      const ignore = new Set(Array.isArray(check.IgnoreKeys) ? (check.IgnoreKeys as string[]) : []);
      if (prefix === undefined) return malformed(check, 'Prefix');
      test = (hits) =>
        existing(hits).every(
          (h) =>
            !JSON_TYPES.Object!(h.value) ||
            Object.keys(h.value as Record<string, unknown>).every((k) => ignore.has(k) || k.startsWith(prefix)),
        );
      break;
    }
    case 'JSONCheckPathValue': {
      const want = check.Value ?? null;
      test = (hits) => hits.every((h) => (h.exists ? h.value : null) === want);
      break;
    }
    case 'JSONCheckPathNotValue': {
      const not = check.Value ?? null;
      test = (hits) => hits.every((h) => (h.exists ? h.value : null) !== not);
      break;
    }
    case 'JSONCheckPathSameValue': {
      const other = str(check, 'ColumnBName');
      if (other === undefined) return malformed(check, 'ColumnBName');
      if (check.PathB !== null && check.PathB !== undefined)
        return { unsupported: 'JSONCheckPathSameValue with a PathB is not implemented' };
      extraColumns.push(other);
      test = (hits, row) => {
        const b = row[other] ?? null;
        return existing(hits).every((h) => h.value === null || b === null || asText(h.value) === b);
      };
      break;
    }
    case 'JSONCheckPathNumericFormat':
    case 'JSONFormatNumeric':
      test = (hits) => existing(hits).every((h) => h.value === null || jsonNumeric(h.value));
      break;
    case 'JSONCheckPathUnitFormat':
    case 'JSONFormatUnit':
      test = (hits) =>
        existing(hits).every((h) => h.value === null || (typeof h.value === 'string' && isUnitFormat(h.value)));
      break;
    case 'JSONFormatString':
      test = (hits) =>
        existing(hits).every((h) => h.value === null || (typeof h.value === 'string' && isStringHandling(h.value)));
      break;
    default:
      return { unsupported: `check function ${fn} is not implemented` };
  }
  return {
    columns: [col, ...extraColumns],
    holds: (row) => {
      const text = row[col] ?? null;
      if (text === null) return mode === 'requirement';
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return false;
      }
      return test(select(parsed, steps), row);
    },
  };
}
