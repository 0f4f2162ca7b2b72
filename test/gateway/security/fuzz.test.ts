/**
 * Random operations built from the schema itself — deep, wide, aliased, with fragments,
 * directives and arguments both valid and wrong — sent to a gateway over every simulator.
 * Whatever arrives, the answer is a GraphQL answer with one of billgraph's codes: never a 500,
 * never INTERNAL_SERVER_ERROR, never a secret, and the process stays healthy. Deterministic
 * (a fixed seed), so a failure names the case that reproduces it.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewaySchema } from '../../../src/gatewaySchema.js';
import { seededStream } from '../../../simulators/prng.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';

const CASES = 120;
const KNOWN_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_BAD_RESPONSE',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_PAYMENT_REQUIRED',
  'RATE_LIMITED',
]);

type Rng = ReturnType<typeof seededStream>;

const INSTANTS = [
  '2026-10-01T00:00:00Z',
  '2026-11-01T00:00:00Z',
  '2026-10-15T12:30:00+02:00',
  '2020-01-01T00:00:00Z',
  '2026-13-01T00:00:00Z',
  'yesterday',
  '2030-01-01T00:00:00Z',
];
const ZONES = ['UTC', 'Europe/Madrid', 'Mars/Olympus', ''];
const VALID_WINDOWS = [
  '{ start: "2026-10-01T00:00:00Z", end: "2026-11-01T00:00:00Z" }',
  '{ start: "2026-10-05T00:00:00Z", end: "2026-10-12T00:00:00Z", timeZone: "Europe/Madrid" }',
  '{ start: "2026-10-01T00:00:00Z", end: "2026-10-02T00:00:00Z" }',
  '{ start: "2026-09-01T00:00:00Z", end: "2026-12-01T00:00:00Z" }',
];
const STRINGS = ['', 'x', 'api-calls', 'Z2l2ZSBtZSBhbiBpZA', '\u0000', 'a'.repeat(300)];

function literal(type: GraphQLInputType, rng: Rng, depth: number): string {
  if (isNonNullType(type)) return literal(type.ofType, rng, depth);
  if (isListType(type))
    return `[${Array.from({ length: rng.int(0, 3) }, () => literal(type.ofType, rng, depth + 1)).join(', ')}]`;
  if (isEnumType(type)) return rng.next() < 0.97 ? rng.pick(type.getValues()).name : 'NOT_A_VALUE';
  if (isInputObjectType(type)) {
    if (type.name === 'TimeWindow') {
      if (rng.next() < 0.85) return rng.pick(VALID_WINDOWS);
      const zone = rng.next() < 0.5 ? '' : `, timeZone: ${JSON.stringify(rng.pick(ZONES))}`;
      return `{ start: ${JSON.stringify(rng.pick(INSTANTS))}, end: ${JSON.stringify(rng.pick(INSTANTS))}${zone} }`;
    }
    if (depth > 4) return '{}';
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || rng.next() < 0.5);
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, rng, depth + 1)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return String(rng.next() < 0.85 ? rng.pick([1, 2, 5, 50]) : rng.pick([0, 500, 501, -1, 2_147_483_647]));
      case 'Boolean':
        return rng.next() < 0.5 ? 'true' : 'false';
      case 'DateTime':
        return JSON.stringify(rng.pick(INSTANTS));
      case 'Decimal':
        return JSON.stringify(rng.pick(['1', '0.5', '-1', '1e3', 'NaN', '123456789012345678901234567890']));
      default:
        return JSON.stringify(rng.pick(STRINGS));
    }
  }
  return 'null';
}

function arguments_(field: GraphQLField<unknown, unknown>, rng: Rng): string {
  const args = field.args.filter((a) => isNonNullType(a.type) || rng.next() < 0.4);
  return args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, rng, 0)}`).join(', ')})` : '';
}

/** A selection set on `type`, up to `depth` levels, with aliases, inline fragments and directives. */
function selection(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  rng: Rng,
  depth: number,
  fragments: Map<string, string>,
): string {
  if (isUnionType(type) || (isInterfaceType(type) && rng.next() < 0.5)) {
    const possible = schema.getPossibleTypes(type);
    const parts = [
      '__typename',
      ...possible
        .filter(() => rng.next() < 0.3)
        .map((t) => `... on ${t.name} ${selection(schema, t, rng, depth, fragments)}`),
    ];
    return `{ ${parts.join(' ')} }`;
  }
  const fields = Object.values((type as GraphQLObjectType).getFields());
  const chosen = Array.from({ length: rng.int(1, 4) }, () => rng.pick(fields));
  const seen = new Set<string>();
  const parts = chosen.map((field, i) => {
    const named = getNamedType(field.type);
    const leaf = isScalarType(named) || isEnumType(named);
    if (!leaf && depth <= 0) return '__typename';
    // A repeated field needs its own response name, or graphql-js rightly refuses the overlap.
    const alias = seen.has(field.name) || rng.next() < 0.25 ? `a${i}_${rng.int(0, 999)}: ` : '';
    seen.add(field.name);
    const directive =
      rng.next() < 0.1 ? ` @include(if: ${rng.next() < 0.5})` : rng.next() < 0.05 ? ' @skip(if: false)' : '';
    const sub = leaf ? '' : ` ${selection(schema, named, rng, depth - 1, fragments)}`;
    return `${alias}${field.name}${arguments_(field, rng)}${directive}${sub}`;
  });
  if (rng.next() < 0.2 && isObjectType(type)) {
    const name = `F${fragments.size}`;
    fragments.set(name, `fragment ${name} on ${type.name} { __typename ${parts[0]} }`);
    parts.push(`...${name}`, `...${name}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function randomOperation(schema: GraphQLSchema, rng: Rng): string {
  const fragments = new Map<string, string>();
  const mutation = rng.next() < 0.1;
  const root = mutation ? schema.getMutationType()! : schema.getQueryType()!;
  const body = selection(schema, root, rng, rng.int(1, 14), fragments);
  return `${mutation ? 'mutation' : 'query'} Fuzz ${body}\n${[...fragments.values()].join('\n')}`;
}

describe('random operations from the schema', () => {
  let h: FullHarness;
  let secrets: string[];
  beforeAll(async () => {
    h = await startFullHarness();
    secrets = [...h.gateway.sources.values()]
      .flatMap(({ runtime }) => Object.values(runtime.config.credentials))
      .filter((v) => v.length >= 5);
  });
  afterAll(() => h.close());

  it(`answer ${CASES} operations with billgraph's codes only, never a 500, a leak or a crash`, async () => {
    const schema = createGatewaySchema();
    const rng = seededStream(0xb111);
    const problems: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const query = randomOperation(schema, rng);
      let res: Response;
      let text: string;
      try {
        // A stall is a failure too: the request deadline is 10 s, so 15 s means something hung.
        res = await fetch(h.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
          signal: AbortSignal.timeout(15_000),
        });
        text = await res.text();
      } catch {
        problems.push(`#${i}: no answer within 15 s`, `query #${i}: ${query.slice(0, 2000)}`);
        break;
      }
      let body: { errors?: { extensions?: { code?: string } }[] } = {};
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`#${i}: not JSON (HTTP ${res.status})`);
      }
      const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? '(none)');
      if (res.status >= 500) problems.push(`#${i}: HTTP ${res.status}`);
      for (const code of codes) if (!KNOWN_CODES.has(code)) problems.push(`#${i}: code ${code}`);
      for (const secret of secrets) if (text.includes(secret)) problems.push(`#${i}: leaked a credential`);
      if (/\bat .*\.(ts|js):\d+|127\.0\.0\.1:\d+/.test(text))
        problems.push(`#${i}: leaked a stack or an upstream address`);
      if (problems.length) {
        problems.push(`query #${i}: ${query.slice(0, 2000)}`);
        break;
      }
    }
    expect(problems).toEqual([]);
    expect((await fetch(h.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
  }, 180_000);
});
