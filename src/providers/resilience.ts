// The pieces of the shared resilience policy that hold state across requests: the per-source
// bulkhead (in-flight limit plus a bounded, deadline-aware queue) and the per-source circuit
// breaker (cockatiel's, with a consecutive-failure count). RestClient (http.ts) composes them in
// one fixed order; docs/resilience.md describes the policy as a whole.

import { CircuitState, circuitBreaker, handleWhen, type CircuitBreakerPolicy, type IBreaker } from 'cockatiel';

/**
 * Defaults of the per-source resilience settings. config.ts repeats these numbers in its schema
 * (it must not import a provider module); RestClient falls back to them for clients built
 * without a config (tests of the client itself).
 */
export const RESILIENCE_DEFAULTS = {
  /**
   * Calls waiting for an in-flight slot before new ones fail fast with UPSTREAM_UNAVAILABLE:
   * twice limits.maxUpstreamCallsPerRequest's default, so one request alone never fills it.
   */
  maxQueue: 4096,
  /** Attempts per idempotent read, the first included (1 = no retries). Writes always get 1. */
  retryAttempts: 3,
  /** Backoff before retry n is a random value in [d/2, d] with d = min(retryMaxDelayMs, retryBaseDelayMs × 2^(n-1)), in ms. */
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2000,
  /** Longest 429 Retry-After billgraph waits for before retrying, in ms; a longer one fails at once. */
  maxRetryAfterMs: 5000,
  /** Longest one 429's Retry-After pauses every call to the source, in ms (one hour); 0: no shared pause. */
  maxRateLimitPauseMs: 60 * 60 * 1000,
  /** Consecutive availability failures (timeouts, resets, refused, 5xx) that open the breaker. */
  breakerThreshold: 5,
  /** How long an open breaker answers UPSTREAM_UNAVAILABLE before one probe call is let through, in ms. */
  breakerHalfOpenAfterMs: 10_000,
  /** Largest upstream body read, in bytes (16 MiB). */
  maxResponseBytes: 16 * 1024 * 1024,
} as const;

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What /readyz and tests see of one source's policy state. */
export interface ResilienceStatus {
  readonly breaker: BreakerState;
  /** While open: when (epoch ms) the breaker lets a probe through. */
  readonly retryAt?: number;
  readonly inFlight: number;
  readonly queued: number;
  /** Sockets of the source's keep-alive agent: in use, and idle in the pool. */
  readonly sockets: { readonly busy: number; readonly free: number };
}

interface Waiter {
  readonly tenant: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly full: () => Error;
  timer: NodeJS.Timeout | undefined;
  readonly refused: (() => Error) | undefined;
}

/** The queue of calls made without a tenant (start-up, /readyz, clients built outside a request). */
const NO_TENANT = '';

/**
 * At most `limit` calls in flight per source; the rest wait in one FIFO per tenant, at most
 * `maxQueue` in all. A freed slot goes straight to a waiter (so a newcomer can never slip past the
 * limit): the head of the FIFO of the waiting tenant with the fewest calls in flight, ties broken
 * round-robin. A tenant queueing thousands of calls therefore holds no more slots than another
 * tenant that wants them, and its backlog never delays the other's calls by more than the slots
 * they already share. When the queue is full, a newcomer from a tenant holding less than the
 * largest share takes the place of that tenant's newest waiter (which fails with its `full()`),
 * so one tenant cannot fill the queue for everyone. A waiter leaves with an error when its
 * request's deadline passes, so time queued counts against the deadline.
 */
export class Bulkhead {
  private inFlight = 0;
  private waiting = 0;
  /** Each tenant's waiters, oldest first; Map order is the round-robin order (served ones move to the back). */
  private readonly queues = new Map<string, Waiter[]>();
  /** Calls in flight by tenant (tenants with none are absent). */
  private readonly running = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting;
  }

  /**
   * Resolves once a slot is the caller's. Rejects with `full()` when the queue is full (or this
   * waiter is displaced by a tenant with a smaller share) and with `expired()` when `deadline`
   * (epoch ms) passes while queued. `tenant` picks the FIFO (RequestScope.tenant).
   */
  acquire(
    deadline: number,
    full: () => Error,
    expired: () => Error,
    refused?: () => Error,
    tenant: string = NO_TENANT,
  ): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      this.running.set(tenant, (this.running.get(tenant) ?? 0) + 1);
      return Promise.resolve();
    }
    if (this.waiting >= this.maxQueue && !this.displaceFor(tenant)) return Promise.reject(full());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { tenant, resolve, reject, full, timer: undefined, refused };
      const wait = deadline - Date.now();
      if (Number.isFinite(wait))
        waiter.timer = setTimeout(
          () => {
            this.remove(waiter);
            reject(expired());
          },
          Math.max(0, wait),
        );
      let queue = this.queues.get(tenant);
      if (!queue) this.queues.set(tenant, (queue = []));
      queue.push(waiter);
      this.waiting++;
    });
  }

  /** Empties the queue: every waiter fails with its `refused()` error (e.g. the breaker just opened). */
  refuseAll(): void {
    const waiting = [...this.queues.values()].flat();
    this.queues.clear();
    this.waiting = 0;
    for (const waiter of waiting) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.reject(waiter.refused?.() ?? new Error('refused'));
    }
  }

  /** Gives back a slot `tenant` acquired (the same value passed to `acquire`). */
  release(tenant: string = NO_TENANT): void {
    const left = (this.running.get(tenant) ?? 1) - 1;
    if (left > 0) this.running.set(tenant, left);
    else this.running.delete(tenant);
    const next = this.next();
    if (next) {
      if (next.timer) clearTimeout(next.timer);
      this.running.set(next.tenant, (this.running.get(next.tenant) ?? 0) + 1);
      next.resolve();
    } else {
      this.inFlight--;
    }
  }

  /**
   * The head of the FIFO of the waiting tenant with the fewest calls in flight (the first such in
   * round-robin order); that tenant moves to the back of the order.
   */
  private next(): Waiter | undefined {
    let chosen: [string, Waiter[]] | undefined;
    let fewest = Number.POSITIVE_INFINITY;
    for (const entry of this.queues) {
      const running = this.running.get(entry[0]) ?? 0;
      if (running < fewest) [chosen, fewest] = [entry, running];
    }
    if (!chosen) return undefined;
    const [tenant, queue] = chosen;
    const waiter = queue.shift()!;
    this.queues.delete(tenant);
    if (queue.length) this.queues.set(tenant, queue);
    this.waiting--;
    return waiter;
  }

  /** Drops the newest waiter of the tenant with the most queued, if `tenant` holds fewer; true when room was made. */
  private displaceFor(tenant: string): boolean {
    let largest: Waiter[] | undefined;
    for (const queue of this.queues.values()) if (!largest || queue.length > largest.length) largest = queue;
    const mine = this.queues.get(tenant)?.length ?? 0;
    if (!largest || largest.length <= mine + 1) return false;
    const victim = largest[largest.length - 1]!;
    this.remove(victim);
    if (victim.timer) clearTimeout(victim.timer);
    victim.reject(victim.full());
    return true;
  }

  private remove(waiter: Waiter): void {
    const queue = this.queues.get(waiter.tenant);
    const at = queue ? queue.indexOf(waiter) : -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    this.waiting--;
    if (!queue.length) this.queues.delete(waiter.tenant);
  }
}

/** What SourceBreaker.reportBadAnswer runs through cockatiel to record a failure that happened after the call. */
const BAD_ANSWER = new Error('an answer whose body failed its check');

/**
 * cockatiel's consecutive count, with one difference: an answer that is not an availability
 * failure resets the count only once its body has had its chance to be checked. Providers parse
 * and check a body in the promise chain right after it arrives (microtasks), so the reset waits
 * for the next macrotask (setImmediate); a body found unreadable before then
 * (`badAnswer`) takes that answer's reset back and counts as a failure instead. Without this
 * a source answering garbage with a 200 would reset the count on every call and never trip.
 */
class CheckedConsecutiveBreaker implements IBreaker {
  state = { failures: 0, unchecked: 0 };
  /** The next failure() opens the circuit (set by badAnswer to open it through cockatiel). */
  private forceOpen = false;

  constructor(private readonly threshold: number) {}

  success(circuit: CircuitState): void {
    // A half-open probe closes the circuit before its body is checked: one bad answer from it
    // must open the circuit again at once, as a failed probe does.
    if (circuit === CircuitState.HalfOpen) this.state.failures = this.threshold - 1;
    this.state.unchecked++;
    setImmediate(() => {
      if (this.state.unchecked === 0) return; // taken back by badAnswer
      this.state.unchecked--;
      this.state.failures = 0;
    });
  }

  failure(): boolean {
    if (this.forceOpen) {
      this.forceOpen = false;
      return true;
    }
    return ++this.state.failures >= this.threshold;
  }

  /** A body that failed its check; true when the count reached the threshold (and the next failure() opens). */
  badAnswer(): boolean {
    if (this.state.unchecked > 0) this.state.unchecked--;
    if (++this.state.failures < this.threshold) return false;
    this.forceOpen = true;
    return true;
  }
}

/**
 * One source's circuit breaker: cockatiel's CircuitBreakerPolicy with a consecutive count.
 * Closed: calls pass, availability failures and bad answers are counted, any other answer resets
 * the count. After `threshold` consecutive failures it opens: calls are refused without reaching
 * the upstream until `halfOpenAfterMs` have passed; then exactly one call is let through as a
 * probe (others are refused while it runs) and its outcome closes or re-opens the breaker.
 */
export class SourceBreaker<R> {
  private readonly policy: CircuitBreakerPolicy;
  private readonly counter: CheckedConsecutiveBreaker;
  private readonly opened = { at: 0 };

  constructor(
    threshold: number,
    readonly halfOpenAfterMs: number,
    isFailure: (error: Error) => boolean,
    isFailureResult: (result: R) => boolean,
  ) {
    this.counter = new CheckedConsecutiveBreaker(threshold);
    this.policy = circuitBreaker(
      // cockatiel 4 hands the predicate whatever was thrown; only Errors can be availability failures.
      handleWhen((error) => error === BAD_ANSWER || (error instanceof Error && isFailure(error))).orWhenResult((r) =>
        isFailureResult(r as R),
      ),
      {
        halfOpenAfter: halfOpenAfterMs,
        breaker: this.counter,
      },
    );
    this.policy.onStateChange((state) => {
      if (state === CircuitState.Open) this.opened.at = Date.now();
    });
  }

  /**
   * An answer that arrived but whose body could not be read or broke its contract: counted like
   * a 5xx. The answer itself went through execute() as a success; this takes its reset back.
   */
  reportBadAnswer(): void {
    if (this.policy.state !== CircuitState.Closed) return;
    // cockatiel opens a circuit only from inside execute(): record the failure through it.
    if (this.counter.badAnswer()) this.policy.execute(() => Promise.reject(BAD_ANSWER)).catch(() => undefined);
  }

  /** Runs `listener` each time the breaker opens (after its open time is recorded). */
  onOpen(listener: () => void): void {
    this.policy.onStateChange((state) => {
      if (state === CircuitState.Open) listener();
    });
  }

  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /** While open: when the next probe may go (epoch ms). */
  get retryAt(): number | undefined {
    return this.state === 'open' ? this.opened.at + this.halfOpenAfterMs : undefined;
  }

  /** Why a call must not go now: open (and not yet due for a probe), or a probe is running. */
  refusal(now = Date.now()): { state: 'open'; retryAt: number } | { state: 'half-open' } | null {
    const state = this.state;
    if (state === 'half-open') return { state };
    if (state === 'open' && now < this.opened.at + this.halfOpenAfterMs)
      return { state, retryAt: this.opened.at + this.halfOpenAfterMs };
    return null;
  }

  /** Runs `fn` under the breaker; call `refusal()` first, in the same tick. */
  execute(fn: () => Promise<R>): Promise<R> {
    return this.policy.execute(fn);
  }
}

/** Backoff before retry number `retry` (1-based): "equal jitter", a random value in [d/2, d]. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.round(d / 2 + random() * (d / 2));
}
