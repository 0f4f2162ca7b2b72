/**
 * The provider contract: the same checks for every provider in src/providers/registry.ts, each
 * against its built-in simulator (simulators/registry.ts), the way graphql-http audits
 * every adapter. A provider added to the registry runs it without a line here
 * (docs/adding-a-provider.md); provider-specific behaviour stays in test/gateway/providers/<name>/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewaySchema } from '../../src/gatewaySchema.js';
import { NO_CACHE } from '../../src/cache/sourceCache.js';
import { parseConfig, type Config, type SourceConfig } from '../../src/config.js';
import { GRANULARITY_ORDER, splitWindow } from '../../src/lib/buckets.js';
import { decodeId } from '../../src/lib/ids.js';
import { validateWindow } from '../../src/lib/timeWindow.js';
import type { AccountModel, Provider } from '../../src/models.js';
import { credentialRules, PROVIDER_MODULES } from '../../src/providers/registry.js';
import type { BucketedWindow, ProviderModule, SourceApi, SourceRuntime } from '../../src/providers/types.js';
import { createRequestScope } from '../../src/requestScope.js';
import { SIMULATORS, type StartedSimulator } from '../../simulators/registry.js';

/** A calendar month wholly in the past, so every provider answers it as final. */
const CLOSED_MONTH = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
/** Accounts whose consumption is asked for; enough to find points, few enough to stay fast. */
const ACCOUNTS_ASKED = 3;
const DECIMAL = /^-?\d+(\.\d+)?$/;

describe.each(Object.keys(PROVIDER_MODULES) as Provider[])('provider contract: %s', (key) => {
  const module: ProviderModule = PROVIDER_MODULES[key];
  let started: StartedSimulator;
  let config: Config;
  let sourceConfig: SourceConfig;
  let runtime: SourceRuntime;

  beforeAll(async () => {
    started = await SIMULATORS[key]();
    config = parseConfig({ sources: [started.source] }, 'contract test', {}, credentialRules);
    sourceConfig = config.sources[0]!;
    runtime = module.createRuntime(sourceConfig, { limits: config.limits, now: Date.now, cache: NO_CACHE });
  });

  afterAll(async () => {
    await started?.handle.close();
  });

  const monthOf = (
    granularity = module.finestGranularity === 'HOUR' ? 'DAY' : module.finestGranularity,
  ): BucketedWindow => {
    const window = validateWindow(CLOSED_MONTH, config.limits);
    return { window, granularity, buckets: splitWindow(window, granularity, config.limits) };
  };

  describe('module', () => {
    it('is filed under its own provider id', () => {
      expect(module.provider).toBe(key);
    });

    it('has a display name, a one-line description, a granularity floor and a cache TTL', () => {
      expect(module.displayName).toMatch(/\S/);
      expect(module.description).toMatch(/^\S[^\r\n]*$/);
      expect(GRANULARITY_ORDER).toContain(module.finestGranularity);
      expect(Number.isInteger(module.cacheTtlSeconds) && module.cacheTtlSeconds >= 0).toBe(true);
    });

    it("states its credentials as JSON Schema, each of its simulator's described", () => {
      const { credentials } = module.settings;
      expect(credentials.type).toBe('object');
      const properties = credentials.properties as Record<string, { description?: string }>;
      for (const name of Object.keys(started.source.credentials))
        expect(properties[name]?.description, name).toMatch(/\S/);
    });

    it("accepts its simulator's credentials", () => {
      expect(module.validateCredentials(started.source.credentials, started.source.options ?? {})).toEqual([]);
    });

    // Options a source must set: the ones its settings.options (JSON Schema) lists as required.
    const requiredOptions = (module.settings.options?.required ?? []) as string[];

    it('refuses empty credentials, naming each credential and each required option it needs', () => {
      const problems = module.validateCredentials({}, {});
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) {
        if (problem.path[0] === 'options') expect(requiredOptions).toContain(problem.path[1]);
        else expect(problem.path[0]).toBe('credentials');
      }
      const messages = problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('\n');
      for (const name of Object.keys(started.source.credentials)) expect(messages).toContain(`"${name}"`);
      for (const name of requiredOptions) expect(messages).toContain(`"${name}"`);
    });

    it('refuses a source without its required options, naming each, and its simulator sets them', () => {
      const options = started.source.options ?? {};
      for (const name of requiredOptions) expect(options, name).toHaveProperty(name);
      const problems = module.validateCredentials(started.source.credentials, {});
      expect(problems.map((p) => p.path.join('.')).sort()).toEqual(requiredOptions.map((n) => `options.${n}`).sort());
    });
  });

  describe('runtime against its simulator', () => {
    it('describes its source', () => {
      expect(runtime.source).toMatchObject({ id: started.source.id, provider: key });
      expect(runtime.config).toBe(sourceConfig);
    });

    it('pings', async () => {
      await expect(runtime.ping()).resolves.toBeUndefined();
    });

    it('reports its resilience state without an upstream call', () => {
      const status = runtime.resilience();
      expect(['closed', 'open', 'half-open']).toContain(status.breaker);
      expect(status).toMatchObject({
        inFlight: expect.any(Number),
        queued: expect.any(Number),
        sockets: { busy: expect.any(Number), free: expect.any(Number) },
      });
    });

    it('lists accounts whose ids decode to this source, and loads each back by its upstream id', async () => {
      const api = runtime.createApi(createRequestScope());
      const accounts = await api.listAccounts();
      expect(accounts.length).toBeGreaterThan(0);
      for (const account of accounts) {
        expect(account.__typename).toBe('Account');
        expect(account.source).toMatchObject({ id: started.source.id, provider: key });
        expect(decodeId(account.id)).toMatchObject({ kind: 'Account', sourceId: started.source.id });
      }
      const first = accounts[0]!;
      expect(await api.getAccount(first.providerId)).toMatchObject({ id: first.id, providerId: first.providerId });
    });

    it('counts upstream calls on the request that made them, and shares no loader between requests', async () => {
      const scopeA = createRequestScope();
      const scopeB = createRequestScope();
      const apiA = runtime.createApi(scopeA);
      const apiB = runtime.createApi(scopeB);
      // (Some providers list their one account from the config, without an upstream call.)
      const [account] = await apiA.listAccounts();
      expect(scopeB.upstreamCalls).toBe(0);

      const window = monthOf();
      await apiA.accountConsumption(account!, window);
      const callsA = scopeA.upstreamCalls;
      expect(callsA).toBeGreaterThan(0);
      // Within one request, the same question is answered by that request's loaders.
      await apiA.accountConsumption(account!, window);
      expect(scopeA.upstreamCalls).toBe(callsA);
      // Another request asks upstream again, on its own count: its loaders start empty.
      await apiB.accountConsumption(account!, window);
      expect(scopeB.upstreamCalls).toBeGreaterThan(0);
      expect(scopeA.upstreamCalls).toBe(callsA);
    });

    it('answers account consumption over a closed month with decimal quantities from this source', async () => {
      const api: SourceApi = runtime.createApi(createRequestScope());
      const accounts: AccountModel[] = (await api.listAccounts()).slice(0, ACCOUNTS_ASKED);
      const window = monthOf();
      const points = (await Promise.all(accounts.map((account) => api.accountConsumption(account, window)))).flat();
      expect(points.length).toBeGreaterThan(0);
      for (const point of points) {
        expect(point.quantity).toMatch(DECIMAL);
        expect(point.source).toMatchObject({ id: started.source.id, provider: key });
        expect(point.metric).toMatch(/\S/);
        expect(Date.parse(point.start)).toBeGreaterThanOrEqual(window.window.startMs);
        expect(Date.parse(point.end)).toBeLessThanOrEqual(window.window.endMs);
        expect(point.isFinal).toBe(true);
        if (point.cost) expect(point.cost.amount).toMatch(DECIMAL);
      }
    });

    it('closes', async () => {
      await expect(runtime.close()).resolves.toBeUndefined();
    });
  });

  // Only providers with types or fields of their own bring a schema part (Civitai and TheirStack do not).
  const part = module.schema;
  if (part) {
    describe('schema part', () => {
      const folder = dirname(fileURLToPath(part.models));
      const documents = part.sdl.map((url) => parse(readFileSync(url, 'utf8')));
      const declared = new Map<string, Set<string>>();
      const defined = new Set<string>();
      for (const definition of documents.flatMap((d) => d.definitions)) {
        if (!('name' in definition) || !definition.name) continue;
        const name = definition.name.value;
        if (definition.kind.endsWith('Definition')) defined.add(name);
        const fields = 'fields' in definition ? (definition.fields ?? []) : [];
        for (const field of fields)
          (declared.get(name) ?? declared.set(name, new Set()).get(name)!).add(field.name.value);
      }

      it('keeps its SDL and models in its own folder', () => {
        expect(folder).toMatch(/[/\\]src[/\\]providers[/\\][a-z0-9]+$/);
        for (const url of part.sdl) expect(dirname(fileURLToPath(url))).toBe(folder);
      });

      it('resolves only fields its own SDL declares', () => {
        const resolved = Object.entries(part.resolvers).flatMap(([type, fields]) =>
          Object.keys(fields as object).map((field) => `${type}.${field}`),
        );
        expect(resolved.length).toBeGreaterThan(0);
        expect(resolved.filter((key) => !declared.get(key.split('.')[0]!)?.has(key.split('.')[1]!))).toEqual([]);
      });

      it('maps only types it defines, each to a model its models module exports', () => {
        const models = readFileSync(join(folder, 'models.ts'), 'utf8');
        for (const [type, model] of Object.entries(part.mappers)) {
          expect(defined, type).toContain(type);
          expect(models, model).toMatch(new RegExp(`export (interface|type) ${model}\\b`));
        }
      });

      it('lands in the gateway schema: every type it defines, every field it adds to a core type', () => {
        const schema = createGatewaySchema();
        for (const [type, fields] of declared) {
          const built = schema.getType(type);
          expect(built, type).toBeDefined();
          if (built && 'getFields' in built)
            expect(Object.keys(built.getFields())).toEqual(expect.arrayContaining([...fields]));
        }
      });
    });
  }
});
