/**
 * The FOCUS attribute formats as predicates on one value, as a CSV or JSONL export writes it (text).
 * Each follows the 1.3 attribute text (specification/attributes/*.md), not focus_validator where the
 * two differ; the differences are noted at each function.
 */

/**
 * NumericFormat: an integer or decimal, optionally in E notation "mEn"; a negative sign only for a
 * negative value or exponent. So `-100.2`, `4`, `35.2E-7` pass and `+333`, `35.2E+7`, `1e-3` (not
 * the upper-case "E" notation), `3,432`, `$32`, `1 1/2` fail. focus_validator is looser (it takes
 * `+`, `e` and `E+`).
 */
const NUMERIC = /^-?\d+(?:\.\d+)?(?:E-?\d+)?$/;
export const isNumericFormat = (value: string): boolean => NUMERIC.test(value);

/**
 * Decimal type / "a valid decimal value": the text reads as a finite number in any common notation.
 * Looser than NumericFormat on purpose, so that a value like `1e-3` fails the format rule only.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
export const isDecimal = (value: string): boolean => DECIMAL.test(value) && Number.isFinite(Number(value));

/** DateTimeFormat: 'YYYY-MM-DDTHH:mm:ssZ' exactly, and a real instant (no 2025-02-30, no 24:00:00). */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
export function isDateTimeFormat(value: string): boolean {
  const match = DATETIME.exec(value);
  if (!match) return false;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

/**
 * Date/time type: a value a reader takes as a date/time. Text has no type of its own, so this is
 * ISO 8601 date-time in UTC with optional fractional seconds (the stricter format rule is separate).
 */
const DATETIME_TYPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]00:00)$/;
export const isDateTimeType = (value: string): boolean => DATETIME_TYPE.test(value) && !Number.isNaN(Date.parse(value));

/**
 * StringHandling, the part a value shows: "Empty strings and strings consisting solely of spaces
 * SHOULD NOT be used" (empty is already null here, see evaluateFocusRules). focus_validator also
 * demands ASCII, which the specification does not.
 */
export const isStringHandling = (value: string): boolean => value.trim() !== '';

/** KeyValueFormat: a serialized JSON object whose values are number, string, true, false or null. */
export function isKeyValueFormat(value: string): boolean {
  const parsed = parseJsonObject(value);
  return (
    parsed !== undefined &&
    !hasDuplicateKeys(value) &&
    Object.values(parsed).every((v) => v === null || typeof v !== 'object')
  );
}

/** JsonObjectFormat: a serialized JSON object (unique keys); arrays uniform, without nulls or repeats. */
export function isJsonObjectFormat(value: string): boolean {
  const parsed = parseJsonObject(value);
  return parsed !== undefined && !hasDuplicateKeys(value) && arraysWellFormed(parsed);
}

function arraysWellFormed(node: unknown): boolean {
  if (Array.isArray(node)) {
    if (node.some((e) => e === null)) return false;
    const kinds = new Set(node.map((e) => (Array.isArray(e) ? 'array' : typeof e)));
    if (kinds.size > 1) return false;
    const seen = new Set(node.map((e) => JSON.stringify(e)));
    if (seen.size !== node.length) return false;
    return node.every(arraysWellFormed);
  }
  if (node !== null && typeof node === 'object') return Object.values(node).every(arraysWellFormed);
  return true;
}

export function parseJsonObject(value: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * JSON.parse keeps the last of two equal keys; ECMA 404 objects in FOCUS must not repeat one. A
 * small scanner of the text finds a key repeated within one object.
 */
function hasDuplicateKeys(text: string): boolean {
  const stack: Array<Set<string> | null> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      const keys = stack.at(-1);
      if (text[k] === ':' && keys) {
        const key = JSON.parse(raw) as string;
        if (keys.has(key)) return true;
        keys.add(key);
      }
      i = j;
    }
    i++;
  }
  return false;
}

/**
 * UnitFormat, as focus_validator's FormatUnitGenerator encodes it: a data-size, time or count unit,
 * `<unit>-<plural time>`, `<unit>/<singular time>`, `<quantity> <unit>` or `<unit>/<n> <plural time>`.
 */
const DATA_SIZE = 'b|Kb|Mb|Gb|Tb|Pb|Eb|B|KB|MB|GB|TB|PB|EB|Kib|Mib|Gib|Tib|Pib|Eib|KiB|MiB|GiB|TiB|PiB|EiB';
const TIME_ONE = 'Year|Month|Day|Hour|Minute|Second';
const TIME_MANY = 'Years|Months|Days|Hours|Minutes|Seconds';
const COUNT = '[A-Za-z][A-Za-z0-9]*(?:\\s+[A-Za-z][A-Za-z0-9]*)*';
const UNIT = new RegExp(
  [
    `^(?:${DATA_SIZE}|${TIME_ONE}|${TIME_MANY}|${COUNT})$`,
    `^(?:${DATA_SIZE}|${COUNT})-(?:${TIME_MANY})$`,
    `^(?:${DATA_SIZE}|${COUNT}|${TIME_MANY})/(?:${TIME_ONE})$`,
    `^[0-9]+ (?:${DATA_SIZE}|${TIME_ONE}|${TIME_MANY}|${COUNT})$`,
    `^(?:${DATA_SIZE}|${COUNT}|${TIME_MANY})/[0-9]+ (?:${TIME_MANY})$`,
  ].join('|'),
);
export const isUnitFormat = (value: string): boolean => UNIT.test(value);
