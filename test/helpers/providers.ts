/**
 * Every provider a generic test iterates over, derived from the registries, never listed by
 * hand: REGISTERED_PROVIDERS (src/providers/registry.ts) for the providers and their order,
 * SIMULATED_SOURCE_IDS (simulators/registry.ts) for their sources in the full harness, and each
 * provider's own simulators/<name>/expectations.ts (the folder is its id lower-cased) for what a
 * generic test expects of it. A provider added to the registries is tested without an edit here.
 */
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import type { Provider } from '../../src/models.js';
import { PROVIDER_MODULES, REGISTERED_PROVIDERS } from '../../src/providers/registry.js';
import type { ExpectationsModule, ProviderTestExpectations } from '../../simulators/expectations.js';
import { SIMULATED_SOURCE_IDS, simulatorFolderOf } from '../../simulators/registry.js';
import type { FullHarness } from './harness.js';

/** Every registered provider, in registry order (the schema's enum order). */
export const PROVIDERS: readonly Provider[] = REGISTERED_PROVIDERS;

/** The source id the full harness (and the embedded default) gives a provider's simulator. */
export const sourceIdOf = (provider: Provider): string => SIMULATED_SOURCE_IDS[provider];

/** Every simulated source id, in registry order: the sources of the full harness and `npm start`. */
export const SOURCE_IDS: readonly string[] = PROVIDERS.map(sourceIdOf);

/** The provider a simulated source id belongs to. */
export function providerOfSource(sourceId: string): Provider {
  const provider = PROVIDERS.find((p) => sourceIdOf(p) === sourceId);
  if (!provider) throw new Error(`"${sourceId}" is no simulated source id (${SOURCE_IDS.join(', ')})`);
  return provider;
}

/** How the API names a provider to people (error messages, the dashboard): its module's display name. */
export const displayNameOf = (provider: Provider): string => PROVIDER_MODULES[provider].displayName;

/** The same override for every simulated source, for startFullHarness's sourceOverrides. */
export const overEverySource = <T>(override: T): Record<string, T> =>
  Object.fromEntries(SOURCE_IDS.map((id) => [id, override]));

/** What the generic tests expect of one provider, from simulators/<provider lower-cased>/expectations.ts. */
export async function expectationsOf(provider: Provider): Promise<ProviderTestExpectations> {
  const folder = simulatorFolderOf(provider);
  if (!existsSync(new URL(`../../simulators/${folder}/expectations.ts`, import.meta.url)))
    throw new Error(
      `Provider ${provider} has no test expectations: create simulators/${folder}/expectations.ts exporting ` +
        `\`expectations: ProviderTestExpectations<'${provider}'>\` (the type is in simulators/expectations.ts).`,
    );
  // The .ts name, not .js: Vite turns this template into a glob of the files that exist.
  const loaded = (await import(`../../simulators/${folder}/expectations.ts`)) as Partial<ExpectationsModule>;
  const { expectations } = loaded;
  if (!expectations)
    throw new Error(`simulators/${folder}/expectations.ts exports no \`expectations\` (simulators/expectations.ts)`);
  if (expectations.provider !== provider)
    throw new Error(`simulators/${folder}/expectations.ts declares ${expectations.provider}, not ${provider}`);
  return expectations;
}

/** One registered provider with its source id and its expectations. */
export interface ProviderUnderTest {
  readonly provider: Provider;
  readonly sourceId: string;
  readonly displayName: string;
  readonly expectations: ProviderTestExpectations;
}

/** Every registered provider with its expectations, in registry order; rejects for a provider without any. */
export async function providersUnderTest(): Promise<ProviderUnderTest[]> {
  return Promise.all(
    PROVIDERS.map(async (provider) => ({
      provider,
      sourceId: sourceIdOf(provider),
      displayName: displayNameOf(provider),
      expectations: await expectationsOf(provider),
    })),
  );
}

/**
 * The credentials of the full harness's sources that a response or a log must never contain
 * (those of 5 characters or more), after checking that every simulated source has one, so a
 * search for them leaves no provider out.
 */
export function secretsOfEverySource(h: FullHarness): string[] {
  const bySource = new Map(
    [...h.gateway.sources].map(([id, { runtime }]) => [
      id,
      Object.values(runtime.config.credentials).filter((v) => v.length >= 5),
    ]),
  );
  for (const id of SOURCE_IDS)
    expect(bySource.get(id)?.length ?? 0, `credentials of source "${id}"`).toBeGreaterThan(0);
  return [...bySource.values()].flat();
}
