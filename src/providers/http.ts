import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { parse as parseLossless } from 'lossless-json';
import fetch, { type RequestInit, type Response } from 'node-fetch';
import type { z } from 'zod';
import { ErrorCode, UpstreamError, type UpstreamErrorCode } from '../errors.js';
import { truncate } from '../lib/ids.js';
import type { Provider } from '../models.js';
import type { RequestScope } from '../requestScope.js';

export interface RestClientOptions {
  readonly provider: Provider;
  /** Human name for messages, e.g. "OpenvCloud". */
  readonly displayName: string;
  readonly sourceId: string;
  readonly baseUrl: string;
  /** Whole-request budget (connect, headers and body), in milliseconds. */
  readonly timeoutMs: number;
  /** Keep-alive sockets per source. */
  readonly maxSockets: number;
  /** Sent as `Authorization: Bearer <token>` by the default auth hook, for upstreams that need nothing else. */
  readonly bearerToken?: string;
  /** Injected for tests of the client itself; integration tests use the real one. */
  readonly fetch?: typeof fetch;
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

export interface RestResponse {
  readonly status: number;
  readonly headers: Headers | Response['headers'];
  /** Body text, kept for providers that parse error bodies themselves. */
  readonly text: string;
}

/**
 * How long a keep-alive socket may sit idle in the pool before billgraph closes it, in ms: below
 * the common server idle timeouts (Node 5 s, nginx 75 s, load balancers 60 s), so the client,
 * not the server, ends an idle connection. Node also lowers it to a server's announced hint − 1 s.
 */
export const IDLE_SOCKET_MS = 4000;

/** Largest upstream body billgraph reads; anything bigger is not an answer to a billing query. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Parses JSON keeping every number as its literal string, so no digit is lost to doubles. */
export function parseJsonLossless(text: string): unknown {
  return parseLossless(text, undefined, (literal: string) => literal);
}

/**
 * The shared REST client, a fixed order of hooks (after @apollo/datasource-rest):
 * willSendRequest (auth) → fetch under one timeout → errorFromResponse → parse.
 * Messages name the source and what happened, never the URL, headers or credentials.
 */
export class RestClient {
  protected readonly options: RestClientOptions;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly fetchImpl: typeof fetch;
  /** Calls in flight and callers waiting for a slot, shared by every request's view of this client. */
  private readonly slots: { inFlight: number; readonly waiters: (() => void)[] } = { inFlight: 0, waiters: [] };
  /** The request this view serves; undefined on the long-lived client (start-up and /readyz calls). */
  protected readonly scope: RequestScope | undefined;

  constructor(options: RestClientOptions) {
    this.options = options;
    // `timeout` is what makes an idle keep-alive socket expire on OUR side. Without it Node keeps
    // free sockets forever (the server's `Keep-Alive: timeout=N` hint can only shorten an agent
    // timeout, never create one), and reuses them until the server closes them: a call sent just
    // as the server's idle timer fires meets a reset — and so may its retry, on the next socket
    // of the same idle burst. With it, a socket is dropped at min(IDLE_SOCKET_MS, hint − 1 s),
    // before any server that announces its timeout, or keeps at least IDLE_SOCKET_MS, closes it.
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, keepAliveMsecs: 1000, timeout: IDLE_SOCKET_MS };
    this.agent = options.baseUrl.startsWith('https:') ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * This client bound to one GraphQL request: the same agent, slots and provider state, with its
   * calls counted on `scope`. The view is frozen, so state a provider keeps across requests
   * (a session, a limiter) must live in an object the client holds, never in a field it reassigns:
   * an assignment through a view throws instead of silently forking that state per request.
   */
  forRequest(scope: RequestScope): this {
    return Object.freeze(Object.create(this, { scope: { value: scope, enumerable: true } }) as this);
  }

  /** Adds authentication: the bearer token when configured; providers with other schemes override. */
  protected async willSendRequest(request: { headers: Record<string, string>; query: URLSearchParams }): Promise<void> {
    if (this.options.bearerToken !== undefined) request.headers.authorization = `Bearer ${this.options.bearerToken}`;
  }

  /** Sends the request and returns the raw response for any status. */
  async send(request: RestRequest): Promise<RestResponse> {
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
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${request.path}${qs ? `?${qs}` : ''}`;
    const init: RequestInit = { method: request.method, headers, body, agent: this.agent, redirect: 'error', size: MAX_RESPONSE_BYTES };
    // The timeout starts once a slot is ours: time queued behind this source's other calls is not
    // the upstream being slow, and would otherwise turn a large fan-out into spurious timeouts.
    await this.acquireSlot();
    try {
      // A keep-alive socket the upstream closed while it sat idle fails on reuse with a reset
      // before any answer; one fresh attempt is safe for a read.
      const mayRetry = request.idempotent ?? request.method === 'GET';
      return (await this.attempt(url, init, request, mayRetry)) ?? (await this.attempt(url, init, request, false))!;
    } finally {
      this.releaseSlot();
    }
  }

  /** One fetch under the timeout; null when the connection was reset and `retryOnReset` allows another try. */
  private async attempt(url: string, init: RequestInit, request: RestRequest, retryOnReset: boolean): Promise<RestResponse | null> {
    if (this.scope) this.scope.upstreamCalls++;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await this.fetchImpl(url, { ...init, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (timedOut) throw this.error(ErrorCode.UPSTREAM_TIMEOUT, `did not answer "${request.operation}" within ${this.options.timeoutMs} ms`, { retryable: true });
      if ((error as { type?: string }).type === 'max-size') throw this.badResponse(request, `a body larger than ${MAX_RESPONSE_BYTES} bytes`);
      // Raised before anything was sent (e.g. a header value node refuses): our bug, not an outage,
      // so it must not look retryable; formatError masks it and logs the code.
      if (error instanceof TypeError || /^ERR_/.test(String((error as { code?: unknown }).code ?? ''))) {
        throw new Error(`${this.options.displayName} request "${request.operation}" could not be built (${String((error as { code?: unknown }).code ?? 'TypeError')})`);
      }
      if (retryOnReset && networkReason(error) === 'connection reset') return null;
      throw this.error(ErrorCode.UPSTREAM_UNAVAILABLE, `could not be reached for "${request.operation}" (${networkReason(error)})`, { retryable: true });
    } finally {
      clearTimeout(timer);
    }
  }

  /** At most `maxSockets` calls per source in flight; the rest wait in order. */
  private acquireSlot(): Promise<void> {
    if (this.slots.inFlight < this.options.maxSockets) {
      this.slots.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slots.waiters.push(resolve));
  }

  /** Hands the slot straight to the next waiter, so a newcomer can never slip past the limit. */
  private releaseSlot(): void {
    const next = this.slots.waiters.shift();
    if (next) next();
    else this.slots.inFlight--;
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

  /** Status → error code (SCHEMA.md); providers override to read their error bodies. */
  protected errorFromResponse(response: RestResponse, request: RestRequest): UpstreamError {
    const { status } = response;
    const upstreamStatus = status;
    if (status === 401 || status === 403) {
      return this.error(ErrorCode.UPSTREAM_AUTH_FAILED, `rejected billgraph's credentials for "${request.operation}" (HTTP ${status})`, { retryable: false, upstreamStatus });
    }
    if (status === 402) return this.error(ErrorCode.UPSTREAM_PAYMENT_REQUIRED, `requires payment for "${request.operation}" (HTTP 402)`, { retryable: false, upstreamStatus });
    if (status === 404) return this.error(ErrorCode.NOT_FOUND, `has no such object for "${request.operation}" (HTTP 404)`, { retryable: false, upstreamStatus });
    if (status === 429) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      return this.error(
        ErrorCode.UPSTREAM_RATE_LIMITED,
        `is rate limiting "${request.operation}"${retryAfter !== undefined ? `; retry after ${retryAfter} s` : ''}`,
        { retryable: true, upstreamStatus, ...(retryAfter !== undefined ? { retryAfter } : {}) },
      );
    }
    if (status >= 500) return this.error(ErrorCode.UPSTREAM_UNAVAILABLE, `failed "${request.operation}" (HTTP ${status})`, { retryable: true, upstreamStatus });
    return this.error(ErrorCode.UPSTREAM_BAD_RESPONSE, `refused "${request.operation}" (HTTP ${status})`, { retryable: false, upstreamStatus });
  }

  /**
   * Checks a parsed body against the upstream's contract (a zod schema of its DTO); a mismatch
   * is UPSTREAM_BAD_RESPONSE naming the first wrong field. `at` prefixes that field's path when
   * the schema checks only part of the body.
   */
  protected conform<T>(request: { operation: string }, schema: z.ZodType<T>, body: unknown, options: { upstreamStatus?: number; at?: string } = {}): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    // Record keys on the path come from the upstream: keep them short in a client-visible message.
    const path = truncate([...(options.at ? [options.at] : []), ...(issue?.path ?? [])].map((p) => truncate(String(p), 40)).join('.'), 120) || 'body';
    throw this.badResponse(request, `a body that does not match its contract (${path}: ${issue?.message ?? 'unknown shape'})`, options.upstreamStatus);
  }

  /** An answer that does not match the upstream's contract. */
  badResponse(request: { operation: string }, what: string, upstreamStatus?: number): UpstreamError {
    return this.error(ErrorCode.UPSTREAM_BAD_RESPONSE, `answered "${request.operation}" with ${what}`, {
      retryable: false,
      ...(upstreamStatus !== undefined ? { upstreamStatus } : {}),
    });
  }

  protected error(
    code: UpstreamErrorCode,
    what: string,
    detail: { retryable: boolean; upstreamStatus?: number; retryAfter?: number; extra?: Record<string, unknown> },
  ): UpstreamError {
    const { displayName, sourceId, provider } = this.options;
    return new UpstreamError(`${displayName} source "${sourceId}" ${what}.`, code, { provider, source: sourceId, ...detail });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/** A short, URL-free reason for a network failure (error codes only, never messages that embed the host). */
function networkReason(error: unknown): string {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
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
