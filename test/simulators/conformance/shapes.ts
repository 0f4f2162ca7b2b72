// A small checker for the shapes the upstreams' reference pages declare, for the upstreams that
// ship no client (TheirStack, OpenvCloud): each page's shape is encoded once as a typed table
// (./theirstackShapes.ts, ./openvcloudShapes.ts) naming the page it comes from, and a body is
// checked field by field — missing required fields, wrong JSON types and undeclared fields.

import { NUMBER_MARK, parseJsonTyped } from '../../../src/lib/parseJsonLossless.js';

/** A JSON type as a reference page declares it. */
export type FieldType =
  | 'string'
  /** A JSON number literal without fraction or exponent. */
  | 'integer'
  | 'number'
  | 'boolean'
  /** A JSON string holding an RFC 3339 date-time with an offset (`Z` or `±hh:mm`). */
  | 'date-time'
  /** A JSON string, one of the listed values. */
  | { readonly oneOf: readonly string[] }
  | { readonly object: Shape }
  | { readonly arrayOf: FieldType }
  /** An object used as a map (e.g. G8's id-keyed `cloudspaces`): every key matches `keys`. */
  | { readonly mapOf: FieldType; readonly keys: RegExp };

export interface Field {
  readonly type: FieldType;
  readonly required: boolean;
  /** `null` is allowed besides `type`. */
  readonly nullable?: boolean;
}

export interface Shape {
  /** The name the page gives the object (or ours, when it gives none). */
  readonly name: string;
  /** Where the declaration comes from: the seed file (or spec digest) and its section. */
  readonly source: string;
  readonly fields: Readonly<Record<string, Field>>;
}

/** One documented answer: its status, the headers the page documents, its body's type. */
export interface Answer {
  readonly status: number;
  /** Where the status (and, for errors, the body) comes from. */
  readonly source: string;
  /** A JSON body of this type; null: no body is declared. */
  readonly body: FieldType | null;
  /** Documented headers, each with the form its value must have. */
  readonly headers?: Readonly<Record<string, RegExp>>;
  /** Headers the page does not document and the default simulator must therefore not send. */
  readonly absentHeaders?: readonly string[];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a body keeping numbers apart from strings (a number is NUMBER_MARK + its literal). */
export function parseTyped(text: string): unknown {
  return parseJsonTyped(text);
}

/** A parsed-typed value with every number back as its literal text, for comparing digits. */
export function literals(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(NUMBER_MARK) ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map(literals);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literals(v)]));
  return value;
}

/** An expected value in the same form as `literals`: numbers as their decimal text. */
export function asLiterals(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(asLiterals);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asLiterals(v)]));
  return value;
}

function describeType(type: FieldType): string {
  if (typeof type === 'string') return type;
  if ('oneOf' in type) return `one of ${type.oneOf.join('|')}`;
  if ('object' in type) return type.object.name;
  if ('arrayOf' in type) return `${describeType(type.arrayOf)}[]`;
  return `map of ${describeType(type.mapOf)}`;
}

/** JSON text of a parsed-typed value, numbers back as bare literals. */
function show(value: unknown): string {
  const text = (JSON.stringify(value) ?? String(value)).replace(/"\\u0000([^"]*)"/g, '$1');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * How a value (from `parseTyped`) departs from `type`, one line per problem with its path;
 * empty when it conforms.
 */
export function typeProblems(value: unknown, type: FieldType, path: string): string[] {
  const isNumber = typeof value === 'string' && value.startsWith(NUMBER_MARK);
  const wrong = () => [`${path}: expected ${describeType(type)}, got ${show(value)}`];
  if (type === 'string') return typeof value === 'string' && !isNumber ? [] : wrong();
  if (type === 'date-time') return typeof value === 'string' && !isNumber && DATE_TIME.test(value) ? [] : wrong();
  if (type === 'integer') return isNumber && /^-?\d+$/.test(value.slice(1)) ? [] : wrong();
  if (type === 'number') return isNumber ? [] : wrong();
  if (type === 'boolean') return typeof value === 'boolean' ? [] : wrong();
  if ('oneOf' in type) return typeof value === 'string' && type.oneOf.includes(value) ? [] : wrong();
  if ('arrayOf' in type) {
    if (!Array.isArray(value)) return wrong();
    return value.flatMap((item, i) => typeProblems(item, type.arrayOf, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong();
  const record = value as Record<string, unknown>;
  if ('mapOf' in type)
    return Object.entries(record).flatMap(([key, item]) => [
      ...(type.keys.test(key) ? [] : [`${path}: key ${JSON.stringify(key)} does not match ${type.keys}`]),
      ...typeProblems(item, type.mapOf, `${path}["${key}"]`),
    ]);
  const problems: string[] = [];
  for (const [name, field] of Object.entries(type.object.fields)) {
    const at = `${path}.${name}`;
    if (!(name in record)) {
      if (field.required) problems.push(`${at}: missing (required by ${type.object.source})`);
    } else if (!(field.nullable && record[name] === null)) {
      problems.push(...typeProblems(record[name], field.type, at));
    }
  }
  for (const name of Object.keys(record))
    if (!(name in type.object.fields)) problems.push(`${path}.${name}: not declared by ${type.object.source}`);
  return problems;
}

/** How an HTTP answer departs from a documented one: status, headers, body. Empty when it conforms. */
export function answerProblems(
  res: { status: number; headers: Headers },
  text: string,
  answer: Answer,
  name: string,
): string[] {
  const problems: string[] = [];
  if (res.status !== answer.status) problems.push(`${name}: status ${res.status}, expected ${answer.status}`);
  for (const [header, form] of Object.entries(answer.headers ?? {})) {
    const value = res.headers.get(header);
    if (value === null) problems.push(`${name}: header ${header} missing`);
    else if (!form.test(value))
      problems.push(`${name}: header ${header} ${JSON.stringify(value)} does not match ${form}`);
  }
  for (const header of answer.absentHeaders ?? [])
    if (res.headers.has(header)) problems.push(`${name}: header ${header} is not documented`);
  if (answer.body === null) return problems;
  if (!/^application\/json\b/.test(res.headers.get('content-type') ?? ''))
    problems.push(
      `${name}: content-type ${JSON.stringify(res.headers.get('content-type'))}, expected application/json`,
    );
  let body: unknown;
  try {
    body = parseTyped(text);
  } catch {
    return [...problems, `${name}: body is not JSON: ${JSON.stringify(text.slice(0, 60))}`];
  }
  return [...problems, ...typeProblems(body, answer.body, name)];
}
