/**
 * Where the core schema meets the providers: each registered provider's schema part, read from
 * its folder, in registry order. The schema layer (src/schema/) never imports a provider; this
 * module, the server and `npm run codegen` hand it the parts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { PROVIDER_MODULES, REGISTERED_PROVIDERS } from './providers/registry.js';
import type { ProviderModule } from './providers/types.js';
import { createSchema, type SchemaPart } from './schema/index.js';
import { readSchemaFiles, type SdlFile } from './schema/sdl.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where the `Provider` enum's values come from, as the name of their SDL in messages. */
export const PROVIDER_ENUM_SDL_NAME = 'src/providers/registry.ts (enum Provider)';

/**
 * `extend enum Provider` with one value per registered module and its `description`, built from
 * the registry when the schema is (no file to regenerate); core.graphql declares the enum itself.
 */
export function providerEnumSdl(): SdlFile {
  const values = REGISTERED_PROVIDERS.map(
    (provider) => `  ${JSON.stringify(PROVIDER_MODULES[provider].description)}\n  ${provider}`,
  );
  return { name: PROVIDER_ENUM_SDL_NAME, sdl: ['extend enum Provider {', ...values, '}', ''].join('\n') };
}

/**
 * The registry's part of the schema, then the schema parts of the registered providers that add
 * to it, in registry order.
 */
export function providerSchemaParts(): SchemaPart[] {
  const values: SchemaPart = { name: 'registry', sdl: [providerEnumSdl()], resolvers: {} };
  return [values, ...providerParts()];
}

function providerParts(): SchemaPart[] {
  return REGISTERED_PROVIDERS.flatMap((provider) => {
    const module: ProviderModule = PROVIDER_MODULES[provider];
    const part = module.schema;
    if (!part) return [];
    const sdl = part.sdl.map((url) => ({ name: relative(ROOT, fileURLToPath(url)), sdl: readFileSync(url, 'utf8') }));
    return [{ name: provider, sdl, resolvers: part.resolvers }];
  });
}

/** Every SDL file of the gateway's schema: the core's, then each provider's. */
export function gatewaySdlFiles(parts: readonly SchemaPart[] = providerSchemaParts()): SdlFile[] {
  return [...readSchemaFiles(), ...parts.flatMap((part) => part.sdl)];
}

/** The gateway's executable schema: the core with every registered provider's part. */
export function createGatewaySchema(): GraphQLSchema {
  return createSchema(providerSchemaParts());
}
