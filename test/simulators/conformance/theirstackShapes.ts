// TheirStack's published shapes for the calls billgraph makes, each entry naming its page.
// Seed: /work/shared/seeds/002_221781d88d540085.txt (the reference page of
// GET /v0/teams/credits_consumption, "T1"); the digest /work/shared/specs/theirstack.md restates
// it with T1's examples, the credit-balance page (T4) and the rate-limit page (T3).
// docs/upstreams/theirstack.md#conformance lists which assertion comes from which page.

import type { Answer, FieldType, Shape } from './shapes.js';

const SEED = 'seeds/002_221781d88d540085.txt';
const SPEC = 'specs/theirstack.md';

/** `Error` — seed § "400 — Bad Request" (and 402, 422, 500): `##### error`. */
export const ERROR: Shape = {
  name: 'Error',
  source: `${SEED} § 400/402/422/500, "error"`,
  fields: {
    code: { type: 'string', required: false },
    description: { type: 'string', required: false },
    title: { type: 'string', required: true },
  },
};

/**
 * The error body — seed § "400 — Bad Request" (and 402, 422, 500). `request_id` is an integer
 * "not present in all errors"; T1's examples show it null (specs/theirstack.md § Errors).
 */
export const ERROR_BODY: Shape = {
  name: 'ErrorBody',
  source: `${SEED} § 400/402/422/500`,
  fields: {
    error: { type: { object: ERROR }, required: true },
    request_id: { type: 'integer', required: false, nullable: true },
  },
};

/**
 * One day of the 200 answer. The seed's "200 — Successful Response" section lists no fields; the
 * page's example (T1, restated in specs/theirstack.md § Endpoint) is an array of these.
 */
export const CREDITS_DAY: Shape = {
  name: 'CreditsDay',
  source: `${SPEC} § Endpoint (T1's 200 example; ${SEED} § 200 lists no fields)`,
  fields: {
    period_start: { type: 'date-time', required: true },
    api_credits_consumed: { type: 'number', required: true },
    ui_credits_consumed: { type: 'number', required: true },
  },
};

/** GET /v0/billing/credit-balance's 200 — specs/theirstack.md § "Related: GET /v0/billing/credit-balance" (T4). */
export const CREDIT_BALANCE: Shape = {
  name: 'CreditBalance',
  source: `${SPEC} § Related: GET /v0/billing/credit-balance (T4)`,
  fields: {
    ui_credits: { type: 'number', required: true },
    used_ui_credits: { type: 'number', required: true },
    api_credits: { type: 'number', required: true },
    used_api_credits: { type: 'number', required: true },
  },
};

const errorBody: FieldType = { object: ERROR_BODY };

/**
 * The IETF RateLimit headers on every answer to an API key — specs/theirstack.md § Errors, from
 * the rate-limit page (T3): `RateLimit: "<policy>"; r=<remaining>; t=<seconds>` (several
 * comma-separated), `RateLimit-Policy: "<policy>"; q=<limit>; w=<window>`, and the three
 * single-number headers.
 */
export const RATE_LIMIT_HEADERS: Readonly<Record<string, RegExp>> = {
  ratelimit: /^"[^"]+"; r=\d+; t=\d+(; pk=[^,]+)?(, "[^"]+"; r=\d+; t=\d+(; pk=[^,]+)?)*$/,
  'ratelimit-policy': /^"[^"]+"; q=\d+; w=\d+(, "[^"]+"; q=\d+; w=\d+)*$/,
  'ratelimit-limit': /^\d+$/,
  'ratelimit-remaining': /^\d+$/,
  'ratelimit-reset': /^\d+$/,
};

/** The answers the suite checks, each with the page that documents it. */
export const THEIRSTACK_ANSWERS = {
  consumption: {
    status: 200,
    source: `${SPEC} § Endpoint (T1) — status, array body; RateLimit headers (T3)`,
    body: { arrayOf: { object: CREDITS_DAY } },
    headers: RATE_LIMIT_HEADERS,
  },
  balance: {
    status: 200,
    source: `${SPEC} § Related: GET /v0/billing/credit-balance (T4); RateLimit headers (T3)`,
    body: { object: CREDIT_BALANCE },
    headers: RATE_LIMIT_HEADERS,
  },
  badRequest: { status: 400, source: `${SEED} § 400 — Bad Request`, body: errorBody },
  paymentRequired: {
    status: 402,
    source: `${SEED} § 402 — Payment Required`,
    body: errorBody,
    headers: RATE_LIMIT_HEADERS,
  },
  unprocessable: {
    status: 422,
    source: `${SEED} § 422 — Unprocessable Entity`,
    body: errorBody,
    headers: RATE_LIMIT_HEADERS,
  },
  serverError: { status: 500, source: `${SEED} § 500 — Internal Server Error`, body: errorBody },
  /** 401 is not listed for the endpoint: the status is assumed, the body is the seed's (specs § Errors). */
  unauthorized: { status: 401, source: `${SPEC} § Errors (401 assumed; body as ${SEED})`, body: errorBody },
  /** T3: 429 with the RateLimit headers; Retry-After is not on the page, so it must be absent. */
  rateLimited: {
    status: 429,
    source: `${SPEC} § Errors (T3: 429 and RateLimit headers; body as ${SEED})`,
    body: errorBody,
    headers: RATE_LIMIT_HEADERS,
    absentHeaders: ['retry-after'],
  },
  /** Another path: 404 assumed (specs § Simulator notes 1), with the seed's body. */
  notFound: { status: 404, source: `${SPEC} § Simulator notes 1 (404 assumed; body as ${SEED})`, body: errorBody },
} as const satisfies Record<string, Answer>;
