import type { Provider } from '../models.js';
import type { CredentialsValidator } from '../config.js';
import { civitai } from './civitai/index.js';
import { hyperstack } from './hyperstack/index.js';
import { killbill } from './killbill/index.js';
import { openvcloud } from './openvcloud/index.js';
import { theirstack } from './theirstack/index.js';
import type { ProviderModule } from './types.js';

/** Provider → module. Adding a provider is one folder under providers/ and one line here. */
export const PROVIDER_MODULES: Partial<Record<Provider, ProviderModule>> = {
  OPENVCLOUD: openvcloud,
  KILLBILL: killbill,
  HYPERSTACK: hyperstack,
  CIVITAI: civitai,
  THEIRSTACK: theirstack,
};

export function providerModule(provider: Provider): ProviderModule | undefined {
  return PROVIDER_MODULES[provider];
}

/** Config validation rules: credentials per provider, and "not supported yet" for the others. */
export const credentialRules: Partial<Record<Provider, CredentialsValidator>> = Object.fromEntries(
  (['OPENVCLOUD', 'KILLBILL', 'HYPERSTACK', 'CIVITAI', 'THEIRSTACK'] as const).map((provider) => {
    const module = PROVIDER_MODULES[provider];
    const rule: CredentialsValidator = module
      ? module.validateCredentials
      : () => [{ path: ['provider'], message: `${provider} is not supported by this build yet (supported: ${Object.keys(PROVIDER_MODULES).join(', ')})` }];
    return [provider, rule];
  }),
);
