/**
 * One query that touches every source and every upstream-backed field (the core ones, and each
 * provider's own as it declares them), and the faults each suite sends it through.
 */
import { PROVIDER_MODULES } from '../../src/providers/registry.js';
import type { ProviderModule } from '../../src/providers/types.js';
import type { Fault } from '../../simulators/kit.js';
import { providersUnderTest } from './providers.js';

export const WEEK = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };

/** Account fields every provider answers: the core schema's. */
const CORE_ACCOUNT_SELECTION = /* GraphQL */ `
  id
  name
  consumption(window: $w) {
    metric
    quantity
  }
  cost(window: $w) {
    amount
    currency
  }
  resources {
    cost(window: $w) {
      amount
    }
  }
`;

/** Each registered provider's own Account fields (simulators/<name>/expectations.ts, accountSelection). */
const PROVIDER_SELECTIONS = (await providersUnderTest()).map(({ provider, expectations }) => {
  const module: ProviderModule = PROVIDER_MODULES[provider];
  if (module.schema && !expectations.accountSelection.trim())
    throw new Error(`${provider} has a schema part but declares no accountSelection for the every-source query`);
  return expectations.accountSelection;
});

export const EVERYTHING = /* GraphQL */ `
  query Everything($w: TimeWindow!) {
    accounts(first: 500) {
      errors {
        code
        message
      }
      edges {
        node {
          ${[CORE_ACCOUNT_SELECTION, ...PROVIDER_SELECTIONS].join('\n')}
        }
      }
    }
    usageReport(window: $w) {
      errors {
        code
        message
      }
    }
  }
`;

/** Faults every simulator answers with, one at a time; the 500's body carries a stack for the leak checks. */
export const ANSWERED_FAULTS: Fault[] = [
  { kind: 'status', status: 500, body: { error: 'boom', detail: 'stack at Foo.bar (/srv/app.js:1:1)' } },
  { kind: 'status', status: 401 },
  { kind: 'status', status: 403 },
  { kind: 'status', status: 404 },
  { kind: 'rateLimit', retryAfterSeconds: 3 },
  { kind: 'malformed' },
];
