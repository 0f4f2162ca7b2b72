/**
 * The one place a provider is declared. Everything else that lists providers derives from
 * PROVIDER_MODULES, in its order:
 *   - the schema's `enum Provider` values and their descriptions (src/gatewaySchema.ts, when the schema is built),
 *   - config validation's provider list and the `Provider` type (src/generated/providers.ts, so
 *     config.ts loads no provider code), written by `npm run codegen` and checked by `-- --check`,
 *   - the simulators (simulators/registry.ts loads simulators/<id in lower case>/index.ts).
 * docs/adding-a-provider.md walks through adding one.
 */
import type { Provider } from '../models.js';
import type { CredentialsValidator } from '../config.js';
import { civitai } from './civitai/index.js';
import { hyperstack } from './hyperstack/index.js';
import { killbill } from './killbill/index.js';
import { openvcloud } from './openvcloud/index.js';
import { theirstack } from './theirstack/index.js';
import type { ProviderModule } from './types.js';

/**
 * Exactly one module per `Provider`, each under its own id. `Provider` is generated from this
 * object's keys, so a key added without `npm run codegen` is an excess property here, and one
 * removed is a missing property; a module filed under another provider's key fails too.
 */
export type ProviderRegistry = { readonly [P in Provider]: ProviderModule<P> };

/** Provider → module, in the order the schema's enum and the config's error messages list them. */
export const PROVIDER_MODULES = {
  OPENVCLOUD: openvcloud,
  KILLBILL: killbill,
  HYPERSTACK: hyperstack,
  CIVITAI: civitai,
  THEIRSTACK: theirstack,
} as const satisfies ProviderRegistry;

/** Every registered provider id, in registry order. */
export const REGISTERED_PROVIDERS = Object.keys(PROVIDER_MODULES) as Provider[];

/** Undefined only for a string that is not a registered provider (a config parsed elsewhere, a stale id). */
export function providerModule(provider: Provider): ProviderModule | undefined {
  return Object.hasOwn(PROVIDER_MODULES, provider) ? PROVIDER_MODULES[provider] : undefined;
}

/** Config validation rules: each provider's own credential checks. */
export const credentialRules: Record<Provider, CredentialsValidator> = Object.fromEntries(
  REGISTERED_PROVIDERS.map((provider) => [provider, PROVIDER_MODULES[provider].validateCredentials]),
) as Record<Provider, CredentialsValidator>;
