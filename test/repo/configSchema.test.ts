/**
 * billgraph.schema.json (scripts/configSchema.ts, from src/config.ts): a real JSON Schema validator
 * (ajv, 2020-12) accepts the documented example config — read from docs/configuration.md, so the docs cannot
 * drift — and rejects wrong ones at the right path, agreeing with billgraph's own validation; each
 * provider's credentials in the schema agree with that provider's validateCredentials.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_SCHEMA_FILE,
  PROVIDER_SETTINGS,
  renderConfigJsonSchema,
  type JsonSchema,
} from '../../scripts/configSchema.js';
import { validateConfig } from '../../src/bootstrap.js';
import { PROVIDERS } from '../../src/config.js';
import { credentialRules } from '../../src/providers/registry.js';

const ROOT = new URL('../..', import.meta.url);
const schemaText = readFileSync(new URL(CONFIG_SCHEMA_FILE, ROOT), 'utf8');
const schema = JSON.parse(schemaText) as JsonSchema;
// Strict: unknown keywords, keywords without their type and the like are errors. Only strictRequired
// is off: OPENVCLOUD's `anyOf: [{ required: ["token"] }, …]` names properties declared beside it.
const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(schema);

/** The environment the documented example names in "${…}". */
const ENV = { G8_TOKEN: 'jwt', KILLBILL_URL: 'https://killbill.example.com', KB_PASSWORD: 'p', KB_API_SECRET: 's' };

/** The documented example's shape, as far as the cases below change it. */
type Example = {
  port?: unknown;
  limits: Record<string, unknown>;
  sources: ({ credentials: Record<string, unknown> } & Record<string, unknown>)[];
};

function documentedExample(): Example {
  const doc = readFileSync(new URL('docs/configuration.md', ROOT), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const examples = blocks.filter((b) => b.includes(`"$schema": "./${CONFIG_SCHEMA_FILE}"`));
  expect(
    examples,
    'docs/configuration.md has one ```json block with "$schema": "./billgraph.schema.json"',
  ).toHaveLength(1);
  return JSON.parse(examples[0]!) as Example;
}

const clone = <T>(value: T): T => structuredClone(value);

function errorsOf(config: unknown): ErrorObject[] {
  expect(validate(config), 'the JSON Schema should reject this config').toBe(false);
  return validate.errors ?? [];
}

/** billgraph's own verdict, as its problem lines (none = valid). */
function billgraphProblems(config: unknown): string[] {
  try {
    validateConfig(config, 'test', ENV);
    return [];
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [String(error)];
  }
}

describe(CONFIG_SCHEMA_FILE, () => {
  it('is what npm run codegen writes from src/config.ts', () => {
    expect(schemaText).toBe(renderConfigJsonSchema());
  });

  it('describes every key, with a default or a stated one where the key is optional', () => {
    const missing: string[] = [];
    const seen: string[] = [];
    const walk = (node: JsonSchema, path: string, required: boolean) => {
      seen.push(path);
      if (typeof node.description !== 'string' || node.description.length < 10) missing.push(`${path}: no description`);
      const optional = !required && node.default === undefined && !/ Default: /.test(String(node.description));
      if (optional && path !== '$schema' && !path.startsWith('sources[].prices.')) missing.push(`${path}: no default`);
      const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
      const req = new Set((node.required ?? []) as string[]);
      for (const [name, child] of Object.entries(properties))
        walk(child, path ? `${path}.${name}` : name, req.has(name));
      const items = node.items as JsonSchema | undefined;
      if (items?.properties)
        for (const [name, child] of Object.entries(items.properties as Record<string, JsonSchema>))
          walk(child, `${path}[].${name}`, ((items.required ?? []) as string[]).includes(name));
    };
    walk(schema, '', true);
    expect(seen).toEqual(expect.arrayContaining(['limits.maxCost', 'sources[].cache.ttlSeconds', 'tenants[].scopes']));
    expect(missing).toEqual([]);
  });
});

describe('the documented example config', () => {
  it('is valid for the JSON Schema and for billgraph', () => {
    const example = documentedExample();
    expect(validate(example), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(billgraphProblems(example)).toEqual([]);
  });

  it.each([
    {
      name: 'a port that is a string',
      change: (c: Example) => (c.port = '4000'),
      error: { instancePath: '/port', keyword: 'type' },
      billgraph: 'port: ',
    },
    {
      name: 'an unknown provider',
      change: (c: Example) => (c.sources[0].provider = 'OPENCLOUD'),
      error: { instancePath: '/sources/0/provider', keyword: 'enum' },
      billgraph: 'sources[0].provider: must be one of',
    },
    {
      name: 'a source without its required baseUrl',
      change: (c: Example) => delete c.sources[0].baseUrl,
      error: { instancePath: '/sources/0', keyword: 'required', params: { missingProperty: 'baseUrl' } },
      billgraph: 'sources[0].baseUrl: ',
    },
    {
      name: 'a misspelt key',
      change: (c: Example) => (c.limits.requestTimeoutMS = 8000),
      error: {
        instancePath: '/limits',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'requestTimeoutMS' },
      },
      billgraph: 'limits: ',
    },
    {
      name: 'a URL with credentials in it',
      change: (c: Example) => (c.sources[0].baseUrl = 'https://admin:secret@g8.example.com'),
      error: { instancePath: '/sources/0/baseUrl', keyword: 'pattern' },
      billgraph: 'sources[0].baseUrl: must be an http(s) URL without credentials',
    },
    {
      name: 'a timeout out of bounds',
      change: (c: Example) => (c.sources[0].timeoutMs = 0),
      error: { instancePath: '/sources/0/timeoutMs', keyword: 'minimum' },
      billgraph: 'sources[0].timeoutMs: ',
    },
    {
      name: 'Kill Bill credentials without apiSecret',
      change: (c: Example) => delete c.sources[1].credentials.apiSecret,
      error: { instancePath: '/sources/1/credentials', keyword: 'required', params: { missingProperty: 'apiSecret' } },
      billgraph: 'sources[1].credentials: needs "username" and "password"',
    },
    {
      name: 'no sources',
      change: (c: Example) => (c.sources = []),
      error: { instancePath: '/sources', keyword: 'minItems' },
      billgraph: 'sources: must name at least one source',
    },
  ])('changed to have $name is rejected at its path, as billgraph rejects it', ({ change, error, billgraph }) => {
    const config = clone(documentedExample());
    change(config);
    expect(errorsOf(config)).toContainEqual(expect.objectContaining(error));
    expect(
      billgraphProblems(config).some((p) => p.startsWith(billgraph)),
      billgraphProblems(config).join('\n'),
    ).toBe(true);
  });

  it('may hold "${NAME}" where a string is constrained (billgraph checks the value after replacing it)', () => {
    const config = clone(documentedExample());
    config.sources[0]!.id = '${G8_ID}';
    config.sources[0]!.baseUrl = '${G8_URL}';
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("each provider's credentials and options in the schema", () => {
  /** Every set of keys the schema accepts on its own: `required`, or each `anyOf` branch. */
  const acceptedKeySets = (credentials: JsonSchema): string[][] =>
    credentials.anyOf
      ? (credentials.anyOf as { required: string[] }[]).map((b) => b.required)
      : [credentials.required as string[]];
  const configWith = (provider: string, credentials: Record<string, string>, options?: Record<string, unknown>) => ({
    sources: [{ id: 's', provider, baseUrl: 'https://api.example.com', credentials, ...(options ? { options } : {}) }],
  });

  /** A value of each option the provider requires (none for most), from its JSON Schema: default, first choice, or by type. */
  const requiredOptionsOf = (options: JsonSchema | undefined): Record<string, unknown> => {
    const properties = (options?.properties ?? {}) as Record<string, JsonSchema>;
    return Object.fromEntries(
      ((options?.required ?? []) as string[]).map((name) => {
        const node = properties[name] ?? {};
        const sample =
          node.default ??
          (node.enum as unknown[] | undefined)?.[0] ??
          (node.type === 'integer' || node.type === 'number' ? (node.minimum ?? 1) : 'value');
        return [name, sample];
      }),
    );
  };

  it.each(PROVIDERS)(
    '%s: accepted and refused by the schema exactly when its validateCredentials accepts and refuses',
    (provider) => {
      const { credentials, options: optionSchema } = PROVIDER_SETTINGS[provider];
      const rule = credentialRules[provider];
      const required = requiredOptionsOf(optionSchema);
      const options = Object.keys(required).length > 0 ? required : undefined;
      expect(rule({}, {}), 'no credentials at all').not.toEqual([]);
      expect(validate(configWith(provider, {}, options))).toBe(false);
      for (const keys of acceptedKeySets(credentials)) {
        const full = Object.fromEntries(keys.map((k) => [k, 'value']));
        expect(rule(full, required), `${keys.join(', ')}`).toEqual([]);
        expect(validate(configWith(provider, full, options)), JSON.stringify(validate.errors)).toBe(true);
        if (options) {
          // Without its required options, both refuse.
          expect(rule(full, {}), 'without its required options').not.toEqual([]);
          expect(validate(configWith(provider, full)), 'without its required options').toBe(false);
        }
        for (const key of keys) {
          const partial = Object.fromEntries(keys.filter((k) => k !== key).map((k) => [k, 'value']));
          const otherwiseAccepted = acceptedKeySets(credentials).some((set) => set.every((k) => k in partial));
          if (otherwiseAccepted) continue;
          expect(rule(partial, required), `without ${key}`).not.toEqual([]);
          expect(validate(configWith(provider, partial, options)), `without ${key}`).toBe(false);
          expect(rule({ ...partial, [key]: '' }, {}), `with an empty ${key}`).not.toEqual([]);
          expect(validate(configWith(provider, { ...partial, [key]: '' })), `with an empty ${key}`).toBe(false);
        }
      }
    },
  );

  it.each([
    [{ createdBy: 'billgraph-prod' }, true],
    [{ createdBy: 'x'.repeat(50) }, true],
    [{ createdBy: 'x'.repeat(51) }, false],
    [{ createdBy: '' }, false],
    [{ createdBy: '   ' }, false],
    [{ createdBy: 7 }, false],
    [{ pageSize: 1 }, true],
    [{ pageSize: 1000 }, true],
    [{ pageSize: 0 }, false],
    [{ pageSize: 1001 }, false],
    [{ pageSize: 2.5 }, false],
    [{ pageSize: '100' }, false],
  ])('KILLBILL options %j: valid %s for the schema and for the provider alike', (options, valid) => {
    const credentials = { username: 'u', password: 'p', apiKey: 'k', apiSecret: 's' };
    expect(credentialRules.KILLBILL(credentials, options).length === 0).toBe(valid);
    expect(validate(configWith('KILLBILL', credentials, options)), JSON.stringify(validate.errors)).toBe(valid);
  });
});
