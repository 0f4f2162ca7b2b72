import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { buildConfigSchema, configSchema, PROVIDERS, type ConfigProvider } from '../../../src/config/schema.js';

const source = (provider: string) => ({
  sources: [{ id: 's', provider, baseUrl: 'https://api.example.com', credentials: {} }],
});

/** The description of `sources[].<key>` (or of `sources[].cache.<key>`) in a built schema. */
function describedAs(schema: z.ZodType, key: string): string {
  type Node = { description?: string; properties?: Record<string, Node>; items?: Node };
  const json = z.toJSONSchema(schema, { io: 'input' }) as unknown as Node;
  const properties = json.properties?.sources?.items?.properties ?? {};
  return properties[key]?.description ?? properties.cache?.properties?.[key]?.description ?? '';
}

describe('buildConfigSchema', () => {
  const providers: [ConfigProvider, ...ConfigProvider[]] = [
    { provider: 'CIVITAI', displayName: 'Civitai', cacheTtlSeconds: 86_400, maxResponseBytes: 65_536 },
    {
      provider: 'HYPERSTACK',
      displayName: 'Hyperstack',
      cacheTtlSeconds: 3600,
      maxResponseBytes: 2_097_152,
      maxInFlight: 8,
    },
  ];

  it('accepts exactly the providers it is built for, listing them when it refuses one', () => {
    const schema = buildConfigSchema(providers);
    expect(schema.safeParse(source('CIVITAI')).success).toBe(true);
    const refused = schema.safeParse(source('KILLBILL'));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('must be one of CIVITAI, HYPERSTACK, got "KILLBILL"');
  });

  it("states each provider's defaults in the descriptions, from what it is given", () => {
    const schema = buildConfigSchema(providers);
    expect(describedAs(schema, 'ttlSeconds')).toContain("Default: the provider's (Civitai 86400, Hyperstack 3600).");
    expect(describedAs(schema, 'maxResponseBytes')).toContain('(Civitai 65536, Hyperstack 2097152)');
    expect(describedAs(schema, 'maxInFlight')).toContain('(Hyperstack 8, each at most maxSockets)');
  });

  it('names no provider in a description when given ids only', () => {
    const schema = buildConfigSchema([{ provider: 'CIVITAI' }, { provider: 'HYPERSTACK' }]);
    for (const key of ['ttlSeconds', 'maxResponseBytes', 'maxInFlight', 'options', 'provider'])
      expect(describedAs(schema, key), key).not.toMatch(/Civitai|Hyperstack|CIVITAI|HYPERSTACK/);
  });
});

describe('configSchema', () => {
  it('is built for every registered provider (the generated list), so it loads no provider code', () => {
    for (const provider of PROVIDERS) expect(configSchema.safeParse(source(provider)).success, provider).toBe(true);
    expect(configSchema.safeParse(source('ACME')).success).toBe(false);
  });
});
