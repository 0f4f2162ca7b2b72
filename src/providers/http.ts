import type { z } from 'zod';
import { ErrorCode, GatewayError, UpstreamError, type UpstreamErrorCode, type UpstreamErrorDetail } from '../errors.js';
import { truncate } from '../lib/ids.js';
import { parseJsonLossless } from '../lib/parseJsonLossless.js';
import type { Provider } from '../models.js';
import { logger } from '../logger.js';
import type { UpstreamTelemetry } from '../observability/upstreamTelemetry.js';
import type { RequestScope } from '../requestScope.js';
import { backoffDelay, Bulkhead, RESILIENCE_DEFAULTS, SourceBreaker, type ResilienceStatus } from './resilience.js';
import { RateLimitPause } from './rateLimitPause.js';
import { createNodeFetchTransport } from './transport/nodeFetchTransport.js';
import {
  TransportError,
  type Transport,
  type TransportFactory,
  type TransportName,
  type TransportRequest,
  type TransportResponse,
} from './transport/transport.js';
import { createUndiciTransport } from './transport/undiciTransport.js';

/** The HTTP clients a source can use (`sources[].transport`); docs/performance.md has the measurements. */
export const TRANSPORTS: Readonly<Record<TransportName, TransportFactory>> = {
  undici: createUndiciTransport,
  'node-fetch': createNodeFetchTransport,
};

export interface RestClientOptions {
  readonly provider: Provider;
  /** Human name for messages, e.g. "OpenvCloud". */
  readonly displayName: string;
  readonly sourceId: string;
  readonly baseUrl: string;
  /** Budget of one attempt (connect, headers and body), in milliseconds; shortened to the time the request has left. */
  readonly timeoutMs: number;
  /** Keep-alive sockets per source. */
  readonly maxSockets: number;
  /** Sent as `Authorization: Bearer <token>` by the default auth hook, for upstreams that need nothing else. */
  readonly bearerToken?: string;
  /** The HTTP client, by name (`sources[].transport`). @default "undici" */
  readonly transport?: TransportName;
  /** A transport injected by tests of the client itself; wins over `transport`. */
  readonly createTransport?: TransportFactory;
  // --- resilience policy (docs/resilience.md); defaults in RESILIENCE_DEFAULTS ---
  /** Calls in flight at once. @default maxSockets */
  readonly maxInFlight?: number;
  /** Calls waiting for an in-flight slot; past it calls fail fast. @default 4096 */
  readonly maxQueue?: number;
  /** Attempts per idempotent read, the first included. @default 3 */
  readonly retryAttempts?: number;
  /** Base of the jittered exponential backoff, in ms. @default 100 */
  readonly retryBaseDelayMs?: number;
  /** Longest backoff, in ms. @default 2000 */
  readonly retryMaxDelayMs?: number;
  /** Longest 429 Retry-After waited for, in ms. @default 5000 */
  readonly maxRetryAfterMs?: number;
  /** Longest one 429's Retry-After pauses every call to the source, in ms; 0 turns the shared pause off. @default 3600000 */
  readonly maxRateLimitPauseMs?: number;
  /** Consecutive availability failures that open the breaker. @default 5 */
  readonly breakerThreshold?: number;
  /** Time an open breaker waits before a probe, in ms. @default 10000 */
  readonly breakerHalfOpenAfterMs?: number;
  /** Largest body read, in bytes. @default 16 MiB */
  readonly maxResponseBytes?: number;
  /** The gateway's upstream metrics (RuntimeDeps.telemetry). @default none */
  readonly telemetry?: UpstreamTelemetry;
}

export interface RestRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below baseUrl, starting with "/". */
  readonly path: string;
  readonly query?: Record<string, string | number | undefined>;
  readonly headers?: Record<string, string>;
  /** Sent as JSON, or as a form when `form` is true. */
  readonly body?: unknown;
  readonly form?: boolean;
  /** A JSON body written by the caller, sent verbatim (e.g. to print exact decimals as JSON numbers); wins over `body`. */
  readonly rawJsonBody?: string;
  /** Short name for counters and messages, e.g. "billing/calculate". */
  readonly operation: string;
  /** Safe to send twice (a read). @default true for GET, false otherwise */
  readonly idempotent?: boolean;
}

/** The answer of the last attempt; `text` is kept for providers that parse error bodies themselves. */
export type RestResponse = TransportResponse;

/**
 * How long a keep-alive socket may sit idle in the pool before billgraph closes it, in ms: below
 * the common server idle timeouts (Node 5 s, nginx 75 s, load balancers 60 s), so the client,
 * not the server, ends an idle connection. Node also lowers it to a server's announced hint − 1 s.
 */
export const IDLE_SOCKET_MS = 4000;

/** Largest upstream body billgraph reads by default; anything bigger is not an answer to a billing query. */
export const MAX_RESPONSE_BYTES = RESILIENCE_DEFAULTS.maxResponseBytes;

/** An attempt (a retry included) is only worth starting with at least this much of the deadline left, in ms. */
const MIN_ATTEMPT_MS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** When a call stops waiting for its source's 429 pauses (epoch ms); set at its first wait. */
interface PauseBudget {
  endsAt: number | undefined;
}

/** True when `promise` settles within `ms`; the timer is cleared either way. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Failures that say the source is down or overloaded, counted by the breaker: timeouts and
 * transport failures (the policy's own refusals excluded). 5xx answers are counted as results.
 * 4xx, 404, auth and bad bodies say nothing about availability.
 */
function isAvailabilityFailure(error: Error): boolean {
  return (
    error instanceof UpstreamError &&
    !refusedLocally.has(error) &&
    // A timeout cut short by one request's deadline says the request ran out of time, not that the
    // source is slow: counting it would let one caller's late calls open the breaker for everyone.
    !clippedTimeouts.has(error) &&
    // Nor does one whose timer fired late: billgraph's own event loop was blocked (one tenant's
    // CPU-heavy queries), and the answer may have been sitting unread in the socket.
    !stalledTimeouts.has(error) &&
    (error.code === ErrorCode.UPSTREAM_TIMEOUT || error.code === ErrorCode.UPSTREAM_UNAVAILABLE)
  );
}

/** An upstream failure the breaker counted: what a later refusal names as its cause. */
interface FailureCause {
  readonly code: ErrorCode;
  /** Undefined when the upstream never answered (timeout, connection refused or reset). */
  readonly upstreamStatus: number | undefined;
}

/** Settled resilience settings of one client. */
type Policy = Required<Omit<RestClientOptions, 'bearerToken' | 'transport' | 'createTransport' | 'telemetry'>>;

/** Timeouts whose attempt was shortened to the request's remaining time (not the source's timeoutMs). */
const clippedTimeouts = new WeakSet<Error>();

/** Timeouts whose timer fired more than STALL_TOLERANCE_MS after it was due: the event loop was blocked. */
const stalledTimeouts = new WeakSet<Error>();

/**
 * How late an attempt's timer may fire before the timeout is blamed on billgraph's event loop
 * rather than on the source, in ms. A busy but healthy process fires timers a few ms late (tens
 * on a loaded 2-core machine); a loop blocked by CPU-heavy work fires them hundreds of ms late.
 */
export const STALL_TOLERANCE_MS = 200;

/** Network failures that happen before a request leaves (connection refused, host not resolved): nothing was sent. */
const neverSent = new WeakSet<Error>();

/** Errors the policy itself raised without calling the upstream (breaker open, queue full, deadline passed): never retried. */
const refusedLocally = new WeakSet<Error>();

/** True when the policy refused the call before sending anything (so no response can have been lost). */
export const refusedBeforeSending = (error: unknown): boolean => error instanceof Error && refusedLocally.has(error);

/**
 * The shared REST client, a fixed order of hooks (after @apollo/datasource-rest):
 * willSendRequest (auth) → the resilience policy (deadline → breaker → bulkhead/queue → attempt
 * under its timeout, retried for idempotent reads) → errorFromResponse → parse.
 * Messages name the source and what happened, never the URL, headers or credentials.
 */
export class RestClient {
  protected readonly options: RestClientOptions;
  protected readonly policy: Policy;
  private readonly transport: Transport;
  /** Calls in flight and callers waiting for a slot, shared by every request's view of this client. */
  private readonly bulkhead: Bulkhead;
  /** Shared by every request's view of this client, like the bulkhead. */
  private readonly breaker: SourceBreaker<RestResponse>;
  /** The source's 429 pause, shared like the breaker: one source's "wait N s" holds every request's calls. */
  private readonly pause: RateLimitPause;
  /**
   * The last failure the breaker counted, shared like the breaker (a field of a held object, so
   * every request's frozen view writes the same one): an open breaker's refusal names it as its
   * cause, which the refused request never saw itself.
   */
  private readonly failures: { last: FailureCause | undefined } = { last: undefined };
  /** The request this view serves; undefined on the long-lived client (start-up and /readyz calls). */
  protected readonly scope: RequestScope | undefined;

  constructor(options: RestClientOptions) {
    this.options = options;
    const d = RESILIENCE_DEFAULTS;
    const { bearerToken: _token, transport: _transport, createTransport: _create, telemetry: _t, ...rest } = options;
    this.policy = {
      ...rest,
      maxInFlight: options.maxInFlight ?? options.maxSockets,
      maxQueue: options.maxQueue ?? d.maxQueue,
      retryAttempts: options.retryAttempts ?? d.retryAttempts,
      retryBaseDelayMs: options.retryBaseDelayMs ?? d.retryBaseDelayMs,
      retryMaxDelayMs: options.retryMaxDelayMs ?? d.retryMaxDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? d.maxRetryAfterMs,
      maxRateLimitPauseMs: options.maxRateLimitPauseMs ?? d.maxRateLimitPauseMs,
      breakerThreshold: options.breakerThreshold ?? d.breakerThreshold,
      breakerHalfOpenAfterMs: options.breakerHalfOpenAfterMs ?? d.breakerHalfOpenAfterMs,
      maxResponseBytes: options.maxResponseBytes ?? d.maxResponseBytes,
    };
    const createTransport = options.createTransport ?? TRANSPORTS[options.transport ?? 'undici'];
    this.transport = createTransport({
      baseUrl: options.baseUrl,
      maxSockets: options.maxSockets,
      idleSocketMs: IDLE_SOCKET_MS,
    });
    this.pause = new RateLimitPause(this.policy.maxRateLimitPauseMs);
    this.bulkhead = new Bulkhead(this.policy.maxInFlight, this.policy.maxQueue);
    this.breaker = new SourceBreaker<RestResponse>(
      this.policy.breakerThreshold,
      this.policy.breakerHalfOpenAfterMs,
      (error) => isAvailabilityFailure(error),
      (response) => this.countsAgainstBreaker(response),
    );
    // Calls queued behind a source that just proved dead fail now, not when a slot frees.
    this.breaker.onOpen(() => this.bulkhead.refuseAll());
  }

  /**
   * This client bound to one GraphQL request: the same agent, bulkhead, breaker and provider
   * state, with its calls counted on `scope` and bounded by its deadline. The view is frozen, so
   * state a provider keeps across requests (a session, a limiter) must live in an object the
   * client holds, never in a field it reassigns: an assignment through a view throws instead of
   * silently forking that state per request.
   */
  forRequest(scope: RequestScope): this {
    return Object.freeze(Object.create(this, { scope: { value: scope, enumerable: true } }) as this);
  }

  /**
   * Whether an answer is a failure for the breaker. A 429 that says how long to wait is handled
   * by the per-source pause (the source is up, it asks for quiet); one that says nothing is an
   * overload signal like a 503 and is counted.
   */
  private countsAgainstBreaker(response: RestResponse): boolean {
    return response.status >= 500 || (response.status === 429 && this.retryAfterSeconds(response) === undefined);
  }

  /** Remembers a failure the breaker counts, as the cause a later refusal names. */
  private noteFailure(code: ErrorCode, upstreamStatus: number | undefined): void {
    this.failures.last = { code, upstreamStatus };
  }

  /**
   * An attempt's outcome, its failure noted as the cause before the breaker records it: the
   * calls refused at the very moment it opens (the queue, emptied by onOpen) already name it.
   */
  private async counted(attempt: Promise<RestResponse>): Promise<RestResponse> {
    try {
      const response = await attempt;
      // Counted answers are 5xx and 429s without a wait; their codes as codeOfStatus maps them.
      if (this.countsAgainstBreaker(response))
        this.noteFailure(
          response.status === 429 ? ErrorCode.UPSTREAM_RATE_LIMITED : ErrorCode.UPSTREAM_UNAVAILABLE,
          response.status,
        );
      return response;
    } catch (error) {
      if (error instanceof UpstreamError && isAvailabilityFailure(error))
        this.noteFailure(error.code, error.detail.upstreamStatus);
      throw error;
    }
  }

  /** The breaker, queue and socket state of this source, for /readyz and tests. */
  resilienceStatus(): ResilienceStatus {
    const retryAt = this.breaker.retryAt;
    return {
      breaker: this.breaker.state,
      ...(retryAt !== undefined ? { retryAt } : {}),
      inFlight: this.bulkhead.active,
      queued: this.bulkhead.queued,
      sockets: this.transport.sockets(),
    };
  }

  /** Adds authentication: the bearer token when configured; providers with other schemes override. */
  protected async willSendRequest(request: { headers: Record<string, string>; query: URLSearchParams }): Promise<void> {
    if (this.options.bearerToken !== undefined) request.headers.authorization = `Bearer ${this.options.bearerToken}`;
  }

  /**
   * Sends the request under the resilience policy and returns the raw response for any status
   * (the last one, when retries ran out). Idempotent reads are retried on 5xx, 429 (after its
   * Retry-After when that fits), a reset or refused connection and a cut-off body, with jittered
   * backoff, never past the request's deadline; writes are sent once.
   */
  async send(request: RestRequest): Promise<RestResponse> {
    const deadline = this.scope?.deadline ?? Date.now() + this.policy.timeoutMs;
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    await this.willSendRequest({ headers, query });
    let body: string | undefined;
    if (request.rawJsonBody !== undefined) {
      body = request.rawJsonBody;
      headers['content-type'] = 'application/json';
    } else if (request.body !== undefined) {
      if (request.form) {
        body = new URLSearchParams(request.body as Record<string, string>).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else {
        body = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
    }
    const qs = query.toString();
    const init: Omit<TransportRequest, 'timeoutMs'> = {
      method: request.method,
      path: qs ? `${request.path}?${qs}` : request.path,
      headers,
      body,
      maxResponseBytes: this.policy.maxResponseBytes,
    };
    const attempts = (request.idempotent ?? request.method === 'GET') ? this.policy.retryAttempts : 1;
    // How long this call may still wait for the source's 429 pauses, all attempts together.
    const pauseBudget: PauseBudget = { endsAt: undefined };

    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let response: RestResponse;
      try {
        response = await this.guarded(init, request, deadline, pauseBudget);
      } catch (error) {
        const durationMs = Date.now() - started;
        if (error instanceof UpstreamError && refusedLocally.has(error))
          this.options.telemetry?.upstreamRefused(this.options.sourceId, request.operation, error.code);
        if (error instanceof UpstreamError && error.code !== ErrorCode.UPSTREAM_BAD_RESPONSE)
          this.logFailure(request, {
            code: error.code,
            status: error.detail.upstreamStatus,
            attempt,
            durationMs,
            refused: refusedLocally.has(error),
          });
        const retryable =
          error instanceof UpstreamError && error.code === ErrorCode.UPSTREAM_UNAVAILABLE && !refusedLocally.has(error);
        const delay =
          retryable && attempt < attempts
            ? this.fits(backoffDelay(attempt, this.policy.retryBaseDelayMs, this.policy.retryMaxDelayMs), deadline)
            : null;
        if (delay === null) throw attempts === 1 ? this.writeOutcome(error, request) : error;
        await sleep(delay);
        continue;
      }
      const { status } = response;
      if (status < 400 || status === 404) return response;
      const durationMs = Date.now() - started;
      this.logFailure(request, { code: this.errorFromResponse(response, request).code, status, attempt, durationMs });
      if (attempt >= attempts || (status < 500 && status !== 429)) return response;
      let wanted = backoffDelay(attempt, this.policy.retryBaseDelayMs, this.policy.retryMaxDelayMs);
      if (status === 429) {
        // Obey the upstream's wait or do not retry at all: without a Retry-After, or past the cap
        // or the deadline, the 429 is the answer (a quick retry would only spend more of its quota).
        const retryAfter = this.retryAfterSeconds(response);
        if (retryAfter === undefined || retryAfter * 1000 > this.policy.maxRetryAfterMs) return response;
        // This call waits its own Retry-After; the source's pause (extended by this very answer)
        // holds every other call back meanwhile, and this one too if another 429 extended it.
        if (retryAfter > 0) {
          wanted = retryAfter * 1000;
          pauseBudget.endsAt ??= Date.now() + this.policy.maxRetryAfterMs;
        }
      }
      const delay = this.fits(wanted, deadline);
      if (delay === null) return response;
      await sleep(delay);
    }
  }

  /**
   * A write (a request sent once) whose answer was lost after it was sent — a timeout or a
   * dropped connection, no HTTP status — may have been applied: the error says so
   * (`extensions.outcome: "UNKNOWN"`) instead of reading like a call that never arrived.
   */
  private writeOutcome(error: unknown, request: RestRequest): unknown {
    if (
      !(error instanceof UpstreamError) ||
      refusedLocally.has(error) ||
      neverSent.has(error) ||
      error.detail.upstreamStatus !== undefined ||
      (error.code !== ErrorCode.UPSTREAM_TIMEOUT && error.code !== ErrorCode.UPSTREAM_UNAVAILABLE)
    )
      return error;
    const what =
      error.code === ErrorCode.UPSTREAM_TIMEOUT
        ? `did not answer "${request.operation}" in time`
        : `lost the connection before answering "${request.operation}"`;
    return this.error(error.code, `${what} after it was sent: the change may or may not have been applied`, {
      retryable: true,
      extra: { ...error.detail.extra, outcome: 'UNKNOWN' },
    });
  }

  /** `delay` if a retry after it still has time before `deadline` to do anything, else null. */
  private fits(delay: number, deadline: number): number | null {
    return Date.now() + delay + MIN_ATTEMPT_MS < deadline ? delay : null;
  }

  /**
   * One attempt through the policy's gates, in order: the upstream-call ceiling, the deadline,
   * the breaker, a slot of the bulkhead (queued, but only until the deadline), then the fetch
   * under min(timeoutMs, time left) inside the breaker.
   */
  private async guarded(
    init: Omit<TransportRequest, 'timeoutMs'>,
    request: RestRequest,
    deadline: number,
    pauseBudget: PauseBudget,
  ): Promise<RestResponse> {
    const scope = this.scope;
    if (scope && scope.upstreamCalls >= scope.maxUpstreamCalls) {
      throw new GatewayError(
        `The request reached its limit of ${scope.maxUpstreamCalls} upstream calls (limits.maxUpstreamCallsPerRequest); ${this.options.displayName} "${request.operation}" was not called. Ask for fewer objects, buckets or sources per request.`,
        ErrorCode.QUERY_TOO_COMPLEX,
        { source: this.options.sourceId },
      );
    }
    // Charged in the same tick as the check, so concurrent calls of one request cannot all pass
    // it; handed back when the policy refuses the call before it is sent.
    if (scope) scope.upstreamCalls++;
    let sent = false;
    try {
      this.checkDeadline(request, deadline, 'before it was sent');
      this.checkBreaker(request);
      // Wait out the source's 429 pause before queueing, so a paused call holds no slot.
      await this.passPause(request, deadline, pauseBudget, false);
      await this.bulkhead.acquire(
        deadline,
        () =>
          this.refused(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            `has ${this.policy.maxQueue} calls queued already (maxQueue); "${request.operation}" was not sent`,
          ),
        () =>
          this.refused(
            ErrorCode.UPSTREAM_TIMEOUT,
            `could not take "${request.operation}" before the request's deadline (queued behind ${this.policy.maxInFlight} calls in flight)`,
          ),
        () =>
          this.breakerRefusal(request) ??
          this.refused(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            `was not called for "${request.operation}": its circuit breaker opened while the call was queued`,
          ),
        // Tenants queue apart and are served round-robin (docs/resilience.md#fair-queue).
        scope?.tenant,
      );
      try {
        // A 429 may have paused the source while this call was queued; after a pause, this call
        // may be the one probe (it holds a slot, so the callers waiting for it cannot starve it).
        const probe = await this.passPause(request, deadline, pauseBudget, true);
        try {
          this.checkDeadline(request, deadline, 'while it was queued');
          // The probe of a half-open breaker may have started while this call was queued.
          this.checkBreaker(request);
          const timeoutMs = Math.min(this.policy.timeoutMs, deadline - Date.now());
          sent = true;
          const response = await this.breaker.execute(() =>
            this.counted(this.attempt(init, request, timeoutMs, timeoutMs < this.policy.timeoutMs)),
          );
          if (response.status === 429) this.pause.extend(this.retryAfterSeconds(response) ?? 0);
          return response;
        } finally {
          if (probe) this.pause.probeDone();
        }
      } finally {
        this.bulkhead.release(scope?.tenant);
      }
    } finally {
      if (scope && !sent) scope.upstreamCalls--;
    }
  }

  /**
   * Holds the call while the source's 429 pause runs, if the wait fits in the call's budget
   * (maxRetryAfterMs from its first wait, all pauses together) and before the deadline; otherwise
   * fails at once with UPSTREAM_RATE_LIMITED and the seconds left. After a pause, one call (only
   * one holding a slot: `mayProbe`) goes first; the others wait for its answer. True when this
   * call is that probe.
   */
  private async passPause(
    request: RestRequest,
    deadline: number,
    budget: PauseBudget,
    mayProbe: boolean,
  ): Promise<boolean> {
    for (;;) {
      const verdict = this.pause.check(mayProbe);
      if (verdict.go) return verdict.probe;
      budget.endsAt ??= Date.now() + this.policy.maxRetryAfterMs;
      if ('answered' in verdict) {
        const left = Math.min(deadline - MIN_ATTEMPT_MS, budget.endsAt) - Date.now();
        if (left > 0 && (await settlesWithin(verdict.answered, left))) continue;
        if (Date.now() + MIN_ATTEMPT_MS < deadline) {
          const until = this.pause.pausedUntil;
          const retryAfter = Math.max(1, Math.ceil(((until ?? 0) - Date.now()) / 1000));
          throw this.refused(
            ErrorCode.UPSTREAM_RATE_LIMITED,
            `was not called for "${request.operation}": it is rate limiting and billgraph waited ${this.policy.maxRetryAfterMs} ms (maxRetryAfterMs) for it`,
            RATE_LIMIT_CAUSE,
            { retryAfter, ...(until !== undefined ? { retryAt: new Date(until).toISOString() } : {}) },
          );
        }
        throw this.refused(
          ErrorCode.UPSTREAM_TIMEOUT,
          `was not called for "${request.operation}": the request's deadline came while the call checking whether its rate limit had passed was under way`,
        );
      }
      const { waitMs, until } = verdict;
      if (Date.now() + waitMs > budget.endsAt || Date.now() + waitMs + MIN_ATTEMPT_MS >= deadline) {
        const retryAfter = Math.ceil(waitMs / 1000);
        throw this.refused(
          ErrorCode.UPSTREAM_RATE_LIMITED,
          `was not called for "${request.operation}": it asked for no calls until ${new Date(until).toISOString()} (429 Retry-After, in ${retryAfter} s)`,
          RATE_LIMIT_CAUSE,
          { retryAfter, retryAt: new Date(until).toISOString() },
        );
      }
      await sleep(waitMs);
    }
  }

  /** Past the deadline, or too close to it for an attempt to achieve anything: fail without calling. */
  private checkDeadline(request: RestRequest, deadline: number, when: string): void {
    if (Date.now() + MIN_ATTEMPT_MS > deadline)
      throw this.refused(
        ErrorCode.UPSTREAM_TIMEOUT,
        `was not called for "${request.operation}": the request's deadline passed (or was under ${MIN_ATTEMPT_MS} ms away) ${when}`,
      );
  }

  private checkBreaker(request: RestRequest): void {
    const refusal = this.breakerRefusal(request);
    if (refusal) throw refusal;
  }

  /** The error for a call the breaker does not let through now, or null. */
  private breakerRefusal(request: RestRequest): UpstreamError | null {
    const refusal = this.breaker.refusal();
    if (!refusal) return null;
    const cause = this.failures.last;
    if (refusal.state === 'half-open') {
      return this.refused(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        `was not called for "${request.operation}": its circuit breaker is half-open and a probe call is under way`,
        cause,
      );
    }
    const seconds = Math.max(1, Math.ceil((refusal.retryAt - Date.now()) / 1000));
    const last = cause ? ` (last: ${describeCause(cause)})` : '';
    const retryAt = new Date(refusal.retryAt).toISOString();
    return this.refused(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `was not called for "${request.operation}": its circuit breaker opened after repeated failures${last} and retries at ${retryAt} (in ${seconds} s)`,
      cause,
      { retryAt, extra: { breaker: 'open' } },
    );
  }

  /**
   * A call the policy refused without calling the upstream; `cause` is the upstream failure
   * behind the refusal (none for a deadline or a full queue, which say nothing about the source).
   */
  private refused(
    code: UpstreamErrorCode,
    what: string,
    cause?: FailureCause,
    detail: { retryAfter?: number; retryAt?: string; extra?: Record<string, unknown> } = {},
  ): UpstreamError {
    const error = this.error(code, what, {
      retryable: true,
      ...(cause
        ? {
            causeCode: cause.code,
            ...(cause.upstreamStatus !== undefined ? { upstreamStatus: cause.upstreamStatus } : {}),
          }
        : {}),
      ...detail,
    });
    refusedLocally.add(error);
    return error;
  }

  /** One upstream line per failure: ids, codes and timings only, never a URL, query, header or credential. */
  private logFailure(
    request: RestRequest,
    f: { code: string; status: number | undefined; attempt: number; durationMs: number; refused?: boolean },
  ): void {
    const fields = {
      requestId: this.scope?.requestId,
      source: this.options.sourceId,
      provider: this.options.provider,
      operation: request.operation,
      code: f.code,
      ...(f.status !== undefined ? { status: f.status } : {}),
      attempt: f.attempt,
      durationMs: f.durationMs,
      ...(f.refused ? { calledUpstream: false } : {}),
    };
    logger.warn('upstream failure', fields);
  }

  /**
   * One exchange, measured and traced when the gateway asks for it. Without metrics or a trace
   * this is two property reads more than the exchange itself.
   */
  private async attempt(
    init: Omit<TransportRequest, 'timeoutMs'>,
    request: RestRequest,
    timeoutMs: number,
    clipped: boolean,
  ): Promise<RestResponse> {
    const { telemetry, sourceId } = this.options;
    const span = this.scope?.trace?.startUpstream(sourceId, request.operation, init.method, init.headers);
    if (!telemetry && !span) return this.exchange(init, request, timeoutMs, clipped);
    const startedAt = performance.now();
    let status: number | undefined;
    let code: string = ErrorCode.INTERNAL_SERVER_ERROR;
    try {
      const response = await this.exchange(init, request, timeoutMs, clipped);
      status = response.status;
      code = codeOfStatus(status);
      return response;
    } catch (error) {
      if (error instanceof UpstreamError) code = error.code;
      throw error;
    } finally {
      telemetry?.upstreamAttempt(sourceId, request.operation, status, code, (performance.now() - startedAt) / 1000);
      span?.end(status, code);
    }
  }

  /** One exchange under `timeoutMs`; `clipped` when that is the request's remaining time rather than the source's timeout. */
  private async exchange(
    init: Omit<TransportRequest, 'timeoutMs'>,
    request: RestRequest,
    timeoutMs: number,
    clipped: boolean,
  ): Promise<RestResponse> {
    const sentAt = performance.now();
    try {
      return await this.transport.send({ ...init, timeoutMs });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      switch (error.kind) {
        case 'timeout': {
          // The transport's timer was due at sentAt + timeoutMs; how much later it fired is how long
          // the event loop was blocked meanwhile (an answer may have arrived and sat unread).
          const lateMs = Math.round(performance.now() - sentAt - timeoutMs);
          const stalled = lateMs > STALL_TOLERANCE_MS;
          const timeout = this.error(
            ErrorCode.UPSTREAM_TIMEOUT,
            (clipped
              ? `did not answer "${request.operation}" within the ${timeoutMs} ms the request had left before its deadline`
              : `did not answer "${request.operation}" within ${timeoutMs} ms`) +
              (stalled
                ? ` (billgraph was busy and noticed ${lateMs} ms late, so this does not count against the source)`
                : ''),
            { retryable: true },
          );
          if (clipped) clippedTimeouts.add(timeout);
          if (stalled) stalledTimeouts.add(timeout);
          throw timeout;
        }
        case 'too-large':
          // Neither counts nor resets the breaker: size depends on what was asked, not on the source's health.
          throw this.badResponseError(request, `a body larger than ${this.policy.maxResponseBytes} bytes`);
        case 'closed-mid-answer':
          throw this.error(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            `could not be reached for "${request.operation}" (connection closed mid-answer)`,
            { retryable: true },
          );
        case 'invalid-request':
          // Refused before anything was sent (e.g. a header value Node will not write): our bug,
          // not an outage, so it must not look retryable; formatError masks it and logs the code.
          // eslint-disable-next-line preserve-caught-error -- the message carries the transport's code; the TransportError itself adds nothing
          throw new Error(
            `${this.options.displayName} request "${request.operation}" could not be built (${error.code ?? 'TypeError'})`,
          );
        case 'network': {
          const failure = this.error(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            `could not be reached for "${request.operation}" (${networkReason(error.code)})`,
            { retryable: true },
          );
          if (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
            neverSent.add(failure);
          throw failure;
        }
      }
    }
  }

  /**
   * Sends, maps non-2xx statuses to errors, and parses the body — by default with every number
   * as its literal string; a provider that must tell numbers from strings passes its own parser.
   */
  async json(request: RestRequest, parseBody: (text: string) => unknown = parseJsonLossless): Promise<unknown> {
    const response = await this.send(request);
    if (response.status < 200 || response.status >= 300) throw this.errorFromResponse(response, request);
    try {
      return parseBody(response.text);
    } catch {
      throw this.badResponse(request, 'a body that is not valid JSON', response.status);
    }
  }

  /** Status → error code (docs/errors.md, docs/upstreams/); providers override to read their error bodies. */
  protected errorFromResponse(response: RestResponse, request: RestRequest): UpstreamError {
    const { status } = response;
    const upstreamStatus = status;
    if (status === 401 || status === 403) {
      return this.error(
        ErrorCode.UPSTREAM_AUTH_FAILED,
        `rejected billgraph's credentials for "${request.operation}" (HTTP ${status})`,
        { retryable: false, upstreamStatus },
      );
    }
    if (status === 402)
      return this.error(ErrorCode.UPSTREAM_PAYMENT_REQUIRED, `requires payment for "${request.operation}" (HTTP 402)`, {
        retryable: false,
        upstreamStatus,
      });
    if (status === 404)
      return this.error(ErrorCode.NOT_FOUND, `has no such object for "${request.operation}" (HTTP 404)`, {
        retryable: false,
        upstreamStatus,
      });
    if (status === 429) {
      const retryAfter = this.retryAfterSeconds(response);
      return this.error(
        ErrorCode.UPSTREAM_RATE_LIMITED,
        `is rate limiting "${request.operation}"${retryAfter !== undefined ? `; retry after ${retryAfter} s` : ''}`,
        { retryable: true, upstreamStatus, ...(retryAfter !== undefined ? { retryAfter } : {}) },
      );
    }
    if (status >= 500)
      return this.error(ErrorCode.UPSTREAM_UNAVAILABLE, `failed "${request.operation}" (HTTP ${status})`, {
        retryable: true,
        upstreamStatus,
      });
    return this.error(ErrorCode.UPSTREAM_BAD_RESPONSE, `refused "${request.operation}" (HTTP ${status})`, {
      retryable: false,
      upstreamStatus,
    });
  }

  /**
   * Checks a parsed body against the upstream's contract (a zod schema of its DTO); a mismatch
   * is UPSTREAM_BAD_RESPONSE naming the first wrong field. `at` prefixes that field's path when
   * the schema checks only part of the body.
   */
  protected conform<T>(
    request: { operation: string },
    schema: z.ZodType<T>,
    body: unknown,
    options: { upstreamStatus?: number; at?: string } = {},
  ): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    // Record keys on the path come from the upstream: keep them short in a client-visible message.
    const path =
      truncate(
        [...(options.at ? [options.at] : []), ...(issue?.path ?? [])].map((p) => truncate(String(p), 40)).join('.'),
        120,
      ) || 'body';
    throw this.badResponse(
      request,
      `a body that does not match its contract (${path}: ${issue?.message ?? 'unknown shape'})`,
      options.upstreamStatus,
    );
  }

  /**
   * How long a 429 asks to wait, in seconds; undefined when it does not say. The retry loop and
   * the error's `retryAfter` both read it, so a provider whose upstream says it another way
   * (TheirStack's RateLimit header) overrides this one method.
   */
  protected retryAfterSeconds(response: RestResponse): number | undefined {
    return parseRetryAfter(response.headers.get('retry-after'));
  }

  /**
   * An answer that does not match the upstream's contract (unreadable, or failing its DTO or a
   * provider's check): counted by the breaker like a 5xx, so a source answering garbage trips it.
   */
  badResponse(request: { operation: string }, what: string, upstreamStatus?: number): UpstreamError {
    // Noted first: the report may open the breaker.
    this.noteFailure(ErrorCode.UPSTREAM_BAD_RESPONSE, upstreamStatus);
    this.breaker.reportBadAnswer();
    return this.badResponseError(request, what, upstreamStatus);
  }

  private badResponseError(request: { operation: string }, what: string, upstreamStatus?: number): UpstreamError {
    // The one place bad answers are made, so the one place they are logged (send skips them).
    logger.warn('upstream failure', {
      requestId: this.scope?.requestId,
      source: this.options.sourceId,
      provider: this.options.provider,
      operation: request.operation,
      code: ErrorCode.UPSTREAM_BAD_RESPONSE,
      ...(upstreamStatus !== undefined ? { status: upstreamStatus } : {}),
    });
    return this.error(ErrorCode.UPSTREAM_BAD_RESPONSE, `answered "${request.operation}" with ${what}`, {
      retryable: false,
      ...(upstreamStatus !== undefined ? { upstreamStatus } : {}),
    });
  }

  /**
   * An error of this source. Unless `detail` says otherwise, its `retryAt` is when billgraph
   * calls the source again if that is not the next request: while the breaker is open (this very
   * failure may have opened it) or a 429 pause runs.
   */
  protected error(
    code: UpstreamErrorCode,
    what: string,
    detail: Omit<UpstreamErrorDetail, 'provider' | 'source'>,
  ): UpstreamError {
    const { displayName, sourceId, provider } = this.options;
    const next = this.breaker.retryAt ?? this.pause.pausedUntil;
    return new UpstreamError(`${displayName} source "${sourceId}" ${what}.`, code, {
      provider,
      source: sourceId,
      ...(next !== undefined ? { retryAt: new Date(next).toISOString() } : {}),
      ...detail,
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/**
 * The code of an answer by its status alone, as the base client maps it (errorFromResponse):
 * what the metrics label an attempt with. Providers may refine the code a client sees.
 */
export function codeOfStatus(status: number): string {
  if (status < 400) return 'OK';
  if (status === 401 || status === 403) return ErrorCode.UPSTREAM_AUTH_FAILED;
  if (status === 402) return ErrorCode.UPSTREAM_PAYMENT_REQUIRED;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 429) return ErrorCode.UPSTREAM_RATE_LIMITED;
  if (status >= 500) return ErrorCode.UPSTREAM_UNAVAILABLE;
  return ErrorCode.UPSTREAM_BAD_RESPONSE;
}

/** What a refusal during a 429 pause names as its cause: the 429 that started the pause. */
const RATE_LIMIT_CAUSE: FailureCause = { code: ErrorCode.UPSTREAM_RATE_LIMITED, upstreamStatus: 429 };

/** A cause in words for a message: "HTTP 503, UPSTREAM_UNAVAILABLE", or the code alone when nothing answered. */
function describeCause(cause: FailureCause): string {
  return cause.upstreamStatus !== undefined ? `HTTP ${cause.upstreamStatus}, ${cause.code}` : cause.code;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/** A short, URL-free reason for a network failure (error codes only, never messages that embed the host). */
function networkReason(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not resolved';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return code ? code.toLowerCase() : 'network error';
  }
}
