/**
 * The gateway's lifecycle as one state: created → starting → listening → stopping → stopped.
 *
 * - listen() from `created` starts; a start that fails goes back to `created` (listen may be
 *   retried, stop still cleans up). listen() in any other phase rejects, saying why.
 * - stop() from `created` or `listening` stops; during `starting` it waits for the start to
 *   settle, then stops. stop() during `stopping` returns the same promise, after `stopped` it
 *   resolves at once: stopping is idempotent. The phase is `stopped` once the stop settled,
 *   whether or not it failed, and a stopped gateway never listens again.
 */

export type LifecyclePhase =
  | { readonly phase: 'created' }
  | { readonly phase: 'starting'; readonly port: number; readonly host: string; readonly listening: Promise<string> }
  | { readonly phase: 'listening'; readonly url: string }
  | { readonly phase: 'stopping'; readonly done: Promise<void> }
  | { readonly phase: 'stopped' };

/** What listen and stop actually do; the lifecycle decides when they may run. */
export interface LifecycleSteps {
  /** Starts serving; resolves to the URL served. */
  readonly start: (port: number, host: string) => Promise<string>;
  /** Stops serving and releases everything (also when never started). */
  readonly stop: () => Promise<void>;
}

export interface Lifecycle {
  /** The current phase. */
  state(): LifecyclePhase;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/** Runs `step` as a promise, so that a synchronous throw becomes a rejection. */
const attempt = <T>(step: () => Promise<T>): Promise<T> => new Promise<T>((resolve) => resolve(step()));

export function createLifecycle(steps: LifecycleSteps): Lifecycle {
  let state: LifecyclePhase = { phase: 'created' };

  function beginStop(after: Promise<unknown>): Promise<void> {
    const done = after
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => steps.stop())
      .finally(() => {
        state = { phase: 'stopped' };
      });
    state = { phase: 'stopping', done };
    return done;
  }

  return {
    state: () => state,

    listen(port, host) {
      switch (state.phase) {
        case 'created': {
          const listening: Promise<string> = attempt(() => steps.start(port, host)).then(
            (url) => {
              // A stop that began meanwhile owns the state now.
              if (state.phase === 'starting' && state.listening === listening) state = { phase: 'listening', url };
              return url;
            },
            (error: unknown) => {
              if (state.phase === 'starting' && state.listening === listening) state = { phase: 'created' };
              throw error;
            },
          );
          state = { phase: 'starting', port, host, listening };
          return listening;
        }
        case 'starting':
          return Promise.reject(
            new Error(`This gateway is already starting on ${state.host}:${state.port}; listen() runs once.`),
          );
        case 'listening':
          return Promise.reject(new Error(`This gateway is already listening at ${state.url}; listen() runs once.`));
        case 'stopping':
        case 'stopped':
          return Promise.reject(
            new Error('This gateway is stopped (or stopping) and cannot listen again: create a new gateway.'),
          );
      }
    },

    stop() {
      switch (state.phase) {
        case 'created':
        case 'listening':
          return beginStop(Promise.resolve());
        case 'starting':
          return beginStop(state.listening);
        case 'stopping':
          return state.done;
        case 'stopped':
          return Promise.resolve();
      }
    },
  };
}
