/** One query that touches every source and every upstream-backed field, and the faults each suite sends it through. */
import type { Fault } from '../../simulators/kit.js';

export const WEEK = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };

export const EVERYTHING = /* GraphQL */ `
  query Everything($w: TimeWindow!) {
    accounts(first: 500) {
      errors {
        code
        message
      }
      edges {
        node {
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
          cloudspaces {
            machines {
              consumption(window: $w) {
                quantity
              }
            }
          }
          subscriptions {
            usage(window: $w) {
              quantity
            }
          }
          resources {
            cost(window: $w) {
              amount
            }
          }
          billingThresholds {
            id
          }
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
