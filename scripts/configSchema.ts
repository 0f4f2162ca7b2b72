/**
 * billgraph.schema.json (JSON Schema 2020-12 of the config file, for editors and other tools) and the
 * README's table of config keys, both from the zod schema in src/config.ts — its types, bounds,
 * defaults and `.describe()` texts — plus what no zod type states: each provider's credentials.
 * Written by `npm run codegen`, checked by `npm run codegen -- --check` (scripts/codegen.ts).
 */
import { z } from 'zod';
import { configSchema, PROVIDERS } from '../src/config.js';
import type { Provider } from '../src/generated/resolvers.js';

export const CONFIG_SCHEMA_FILE = 'billgraph.schema.json';

/** A JSON Schema node, as z.toJSONSchema writes them. */
export type JsonSchema = { [keyword: string]: unknown };

/** `${NAME}`, which billgraph replaces by the environment variable NAME before validating. */
export const ENV_REFERENCE = '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';

const nonEmpty = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

/**
 * What each provider's `validateCredentials` (src/providers/<name>/index.ts) demands, said as JSON
 * Schema; test/configSchema.test.ts runs every validator against these so the two cannot drift.
 */
export const PROVIDER_SETTINGS: Record<Provider, { credentials: JsonSchema; options?: JsonSchema }> = {
  OPENVCLOUD: {
    credentials: {
      type: 'object',
      description:
        'A "token" (ItsYou.online JWT, sent as "Authorization: bearer"), or legacy "username" and "password".',
      properties: {
        token: nonEmpty('ItsYou.online JWT, sent as "Authorization: bearer <token>".'),
        username: nonEmpty('Legacy login: exchanged with "password" for a users/authenticate session key.'),
        password: nonEmpty('Legacy login, with "username".'),
      },
      anyOf: [{ required: ['token'] }, { required: ['username', 'password'] }],
    },
  },
  KILLBILL: {
    credentials: {
      type: 'object',
      description: 'HTTP Basic "username" and "password" plus the tenant\'s "apiKey" and "apiSecret".',
      properties: {
        username: nonEmpty('HTTP Basic user.'),
        password: nonEmpty('HTTP Basic password.'),
        apiKey: nonEmpty('The tenant, sent as X-Killbill-ApiKey.'),
        apiSecret: nonEmpty("The tenant's secret, sent as X-Killbill-ApiSecret."),
      },
      required: ['username', 'password', 'apiKey', 'apiSecret'],
    },
    options: {
      type: 'object',
      properties: {
        createdBy: {
          type: 'string',
          minLength: 1,
          maxLength: 50,
          pattern: '\\S',
          default: 'billgraph',
          description: 'The X-Killbill-CreatedBy audit user of writes, at most 50 characters.',
        },
        pageSize: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          default: 100,
          description: 'Accounts per accounts/pagination call, in accounts.',
        },
      },
    },
  },
  HYPERSTACK: {
    credentials: {
      type: 'object',
      properties: { apiKey: nonEmpty('Sent as the "api_key" header.') },
      required: ['apiKey'],
    },
  },
  CIVITAI: {
    credentials: {
      type: 'object',
      properties: { apiKey: nonEmpty('Civitai orchestration token, sent as "Authorization: Bearer <apiKey>".') },
      required: ['apiKey'],
    },
  },
  THEIRSTACK: {
    credentials: {
      type: 'object',
      properties: { token: nonEmpty('TheirStack API key, sent as "Authorization: Bearer <token>".') },
      required: ['token'],
    },
  },
};

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A string whose value is constrained (pattern, enum) may instead hold a "${NAME}" reference, as
 * billgraph validates after replacing those: the file is what the schema describes.
 */
function allowEnvReferences(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(allowEnvReferences);
  if (!isObject(node)) return;
  for (const value of Object.values(node)) allowEnvReferences(value);
  if (node.type !== 'string' || (node.pattern === undefined && node.enum === undefined)) return;
  const constraint: JsonSchema = {};
  for (const key of ['pattern', 'enum'] as const) {
    if (node[key] !== undefined) constraint[key] = node[key];
    delete node[key];
  }
  node.anyOf = [constraint, { pattern: ENV_REFERENCE }];
}

/** The JSON Schema of billgraph's config file. */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  const properties = schema.properties as Record<string, JsonSchema>;
  const source = (properties.sources as { items: JsonSchema }).items;
  source.allOf = PROVIDERS.map((provider) => {
    const settings = PROVIDER_SETTINGS[provider];
    return {
      if: { type: 'object', properties: { provider: { const: provider } }, required: ['provider'] },
      then: {
        type: 'object',
        properties: {
          credentials: settings.credentials,
          ...(settings.options ? { options: settings.options } : {}),
        },
      },
    };
  });
  allowEnvReferences(schema);
  return {
    $schema: schema.$schema,
    title: 'billgraph configuration',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

// --- The README's table of keys ---

export const TABLE_START =
  '<!-- config-keys: generated by `npm run codegen` from src/config.ts (edit the descriptions there) -->';
export const TABLE_END = '<!-- /config-keys -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown): string => `\`${JSON.stringify(value)}\``;

/** "integer 1–120000", "string", `"undici" | "node-fetch"`, "array of string", … */
function typeOf(node: JsonSchema): string {
  const choices = (node.anyOf as JsonSchema[] | undefined)?.find((c) => c.enum)?.enum as unknown[] | undefined;
  if (choices) return choices.map((c) => JSON.stringify(c)).join(' | ');
  switch (node.type) {
    case 'integer':
    case 'number': {
      const min = node.minimum as number | undefined;
      const max = node.maximum as number | undefined;
      if (min !== undefined && max !== undefined && max < Number.MAX_SAFE_INTEGER) return `${node.type} ${min}–${max}`;
      if (min !== undefined) return `${node.type} ≥ ${min}`;
      return String(node.type);
    }
    case 'array':
      return `array of ${isObject(node.items) && node.items.properties ? 'objects' : typeOf(node.items as JsonSchema)}${node.minItems ? ` (≥ ${node.minItems as number})` : ''}`;
    case 'object': {
      if (node.properties) return `{ ${Object.keys(node.properties).join(', ')} }`;
      const values = node.additionalProperties;
      return isObject(values) && values.type ? `object of ${typeOf(values)}` : 'object';
    }
    default:
      return (node.type as string | undefined) ?? 'any';
  }
}

interface Row {
  key: string;
  type: string;
  default: string;
  meaning: string;
}

function rows(node: JsonSchema, prefix: string, out: Row[]): Row[] {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((node.required ?? []) as string[]);
  for (const [name, child] of Object.entries(properties)) {
    const key = `${prefix}${name}`;
    const items = child.items as JsonSchema | undefined;
    if (child.type === 'object' && child.properties && !child.additionalProperties) {
      rows(child, `${key}.`, out);
      continue;
    }
    const description = (child.description as string | undefined) ?? '';
    const [meaning, stated] = description.split(/ Default: /) as [string, string | undefined];
    const fallback = required.has(name) ? 'required' : '—';
    out.push({
      key: items?.type === 'object' && items.properties ? `${key}[]` : key,
      type: typeOf(child),
      default: stated ? stated.replace(/\.$/, '') : child.default !== undefined ? code(child.default) : fallback,
      meaning,
    });
    if (items?.type === 'object' && items.properties) rows(items, `${key}[].`, out);
  }
  return out;
}

/** The README's table: every key of the file, its type and bounds, its default, what it means (units included). */
export function renderConfigTable(): string {
  const lines = [
    '| key | type | default | meaning |',
    '|---|---|---|---|',
    ...rows(configJsonSchema(), '', []).map(
      (r) => `| \`${r.key}\` | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.meaning)} |`,
    ),
  ];
  return `${TABLE_START}\n\n${lines.join('\n')}\n\n${TABLE_END}`;
}

/** `readme` with the text between the table's markers replaced by a fresh table. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start)
    throw new Error(`README.md: the config table's markers are missing (${TABLE_START} … ${TABLE_END}).`);
  return `${readme.slice(0, start)}${renderConfigTable()}${readme.slice(end + TABLE_END.length)}`;
}
