import type { GraphQLResolveInfo } from 'graphql';
import { validateConfig } from '../../../src/bootstrap.js';
import { createContext, type Context, type GatewaySource } from '../../../src/context.js';
import type { Resolver, ResolverFn } from '../../../src/generated/resolvers.js';
import type { Provider, SourceModel } from '../../../src/models.js';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';
import type { JsonSchema, SourceApi, SourceRuntime } from '../../../src/providers/types.js';
import { createRequestScope } from '../../../src/requestScope.js';
import { LOCAL_TENANT, type Tenant } from '../../../src/security/tenantAuth.js';

/** The names a JSON Schema object requires: its `required`, else the first `anyOf` branch's. */
const requiredOf = (schema: JsonSchema | undefined): string[] => {
  if (!schema) return [];
  if (Array.isArray(schema.required)) return schema.required as string[];
  const first = (schema.anyOf as JsonSchema[] | undefined)?.[0];
  return first ? requiredOf(first) : [];
};

/** A value of the JSON Schema type a property declares: a number for numbers, else a non-blank string. */
const sampleOf = (schema: JsonSchema | undefined, name: string): unknown => {
  const property = (schema?.properties as Record<string, JsonSchema> | undefined)?.[name];
  return property?.type === 'integer' || property?.type === 'number' ? 1 : 'x';
};

/**
 * Credentials and options a provider's validation accepts, read from its own settings (what it
 * requires), so a new provider needs no line here; never sent anywhere.
 */
function settingsFor(provider: Provider): { credentials: Record<string, unknown>; options?: Record<string, unknown> } {
  const { credentials, options } = PROVIDER_MODULES[provider].settings;
  const required = requiredOf(options);
  return {
    credentials: Object.fromEntries(requiredOf(credentials).map((name) => [name, sampleOf(credentials, name)])),
    ...(required.length
      ? { options: Object.fromEntries(required.map((name) => [name, sampleOf(options, name)])) }
      : {}),
  };
}

export interface FakeSource {
  readonly id: string;
  readonly provider: Provider;
  /** The per-request API every request of this source gets. */
  readonly api: SourceApi;
}

/** An API that answers nothing; spread it and override what a test needs. */
export const emptyApi = (): SourceApi => ({
  listAccounts: async () => [],
  getAccount: async () => null,
  accountConsumption: async () => [],
  resolveNode: async () => null,
});

/**
 * A real request context (createContext, with the config's default limits) over sources whose
 * runtimes hand out the given APIs: no upstream, no HTTP. `source(id)` is the SourceModel of a source.
 */
export function contextOf(fakes: readonly FakeSource[], tenant: Tenant = LOCAL_TENANT) {
  const config = validateConfig(
    {
      sources: fakes.map((f) => ({
        id: f.id,
        provider: f.provider,
        baseUrl: 'http://127.0.0.1:1',
        ...settingsFor(f.provider),
      })),
    },
    'test',
    {},
  );
  const sources = new Map<string, GatewaySource>();
  config.sources.forEach((sourceConfig, i) => {
    const fake = fakes[i]!;
    const runtime: SourceRuntime = {
      source: { id: fake.id, provider: fake.provider, name: fake.id },
      config: sourceConfig,
      createApi: () => fake.api,
      ping: async () => {},
      resilience: () => ({ breaker: 'closed', inFlight: 0, queued: 0, sockets: { busy: 0, free: 0 } }),
      close: async () => {},
    };
    sources.set(fake.id, { runtime, module: PROVIDER_MODULES[fake.provider] });
  });
  const ctx: Context = createContext(sources, config.limits, createRequestScope(), tenant);
  const source = (id: string): SourceModel => sources.get(id)!.runtime.source;
  return { ctx, source };
}

/** The function of a generated resolver (codegen types a field as a function or `{ resolve }`). */
export function resolverFn<TResult, TParent, TContext, TArgs>(
  resolver: Resolver<TResult, TParent, TContext, TArgs> | undefined,
): (parent: TParent, args: TArgs, context: TContext) => Promise<TResult> {
  if (!resolver) throw new Error('no such resolver');
  const fn: ResolverFn<TResult, TParent, TContext, TArgs> =
    typeof resolver === 'function' ? resolver : resolver.resolve;
  return async (parent, args, context) => fn(parent, args, context, {} as GraphQLResolveInfo);
}
