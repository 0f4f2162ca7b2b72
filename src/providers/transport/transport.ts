/**
 * The seam between the shared REST client and the wire. The client owns everything that is
 * policy (deadline, retries, breaker, bulkhead, error messages); a transport only moves one
 * request and its answer, and says in a `TransportError` what went wrong in terms the policy
 * understands. Tests of the client inject their own transport here.
 */

export interface TransportRequest {
  readonly method: string;
  /** Path and query below the source's origin, starting with "/". */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  /** Budget of the whole exchange (connect, headers and body), in milliseconds. */
  readonly timeoutMs: number;
  /** Largest body read, in bytes; a bigger one fails as `too-large`. */
  readonly maxResponseBytes: number;
}

export interface TransportResponse {
  readonly status: number;
  /** Header lookup by lower-case name. */
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/**
 * Why an exchange failed:
 * - `timeout` — no complete answer within `timeoutMs`;
 * - `too-large` — the body passed `maxResponseBytes`;
 * - `closed-mid-answer` — the connection ended before the announced body was complete;
 * - `network` — connect/reset/DNS failures (`code` is the system error code, e.g. ECONNRESET);
 * - `invalid-request` — refused before anything was sent (a header value Node will not write):
 *   a bug on our side, never retried.
 */
export type TransportFailure = 'timeout' | 'too-large' | 'closed-mid-answer' | 'network' | 'invalid-request';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    /** A system or library error code, never a message (messages may embed the host). */
    readonly code: string | undefined,
  ) {
    super(`transport ${kind}${code ? ` (${code})` : ''}`);
    this.name = 'TransportError';
  }
}

export interface SocketCounts {
  readonly busy: number;
  readonly free: number;
}

/** One source's connection pool. */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Open sockets, for /readyz and the leak tests. */
  sockets(): SocketCounts;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Origin and optional base path, e.g. "https://g8.example.com/api". */
  readonly baseUrl: string;
  /** Keep-alive sockets at most. */
  readonly maxSockets: number;
  /** How long an idle keep-alive socket stays pooled, in ms. */
  readonly idleSocketMs: number;
}

export type TransportFactory = (options: TransportOptions) => Transport;

/** The HTTP clients a source can name (`sources[].transport`), the first the default; http.ts maps each to its factory. */
export const TRANSPORT_NAMES = ['undici', 'node-fetch'] as const;
export type TransportName = (typeof TRANSPORT_NAMES)[number];
