import { Pool, type Dispatcher } from 'undici';
import {
  TransportError,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

type Headers = Record<string, string | string[] | undefined>;

/** Error codes of undici and Node that say the connection ended under a started answer. */
const CUT_OFF = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
/** Codes raised while building the request, before anything reached the wire. */
const INVALID = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
]);

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** undici's SocketError for a connection closed before any answer: the same thing as a reset. */
function networkCode(code: string | undefined): string | undefined {
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'ECONNRESET';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'ETIMEDOUT';
  return code;
}

const lookup = (headers: Headers) => ({
  get(name: string): string | null {
    const value = headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

/**
 * One exchange through undici's dispatcher API: no body stream, no WHATWG Request/Headers, no
 * AbortController — chunks are collected and decoded once. It settles exactly once: with the
 * answer, with the transport's own error, or with a timeout raised by its single timer (which
 * also aborts the exchange whether it is still queued in the pool or already on a socket).
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: Headers = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private abortWith: TransportError | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly maxBytes: number,
    timeoutMs: number,
    private readonly resolve: (response: TransportResponse) => void,
    private readonly reject: (error: TransportError) => void,
  ) {
    this.timer = setTimeout(() => this.fail(new TransportError('timeout', undefined)), timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Timed out (or failed) while it waited for a socket: do not send it at all.
    if (this.abortWith) controller.abort(this.abortWith);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.fail(new TransportError('too-large', undefined));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const text =
      this.chunks.length === 1
        ? this.chunks[0]!.toString('utf8')
        : Buffer.concat(this.chunks, this.size).toString('utf8');
    this.chunks = [];
    this.resolve({ status: this.status, headers: lookup(this.headers), text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (error instanceof TransportError) {
      this.fail(error);
      return;
    }
    const code = codeOf(error);
    if (error instanceof TypeError || (code !== undefined && INVALID.has(code)))
      this.fail(new TransportError('invalid-request', code ?? 'TypeError'));
    else if (this.status !== 0 && code !== undefined && CUT_OFF.has(code))
      this.fail(new TransportError('closed-mid-answer', code));
    else this.fail(new TransportError('network', networkCode(code)));
  }

  /** Settles with `error` and aborts the exchange, releasing its socket (a half-read socket is never pooled). */
  fail(error: TransportError): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.chunks = [];
    this.abortWith = error;
    if (this.controller && !this.controller.aborted) this.controller.abort(error);
    this.reject(error);
  }
}

/** A keep-alive undici Pool per source; see docs/performance.md for why undici over node-fetch. */
export function createUndiciTransport(options: TransportOptions): Transport {
  const url = new URL(options.baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, {
    connections: options.maxSockets,
    // The client, not the server, ends idle connections (see IDLE_SOCKET_MS in http.ts); a
    // server's shorter Keep-Alive hint still wins, less a second of margin.
    keepAliveTimeout: options.idleSocketMs,
    keepAliveMaxTimeout: options.idleSocketMs,
    keepAliveTimeoutThreshold: 1000,
    // Our own timer bounds the whole exchange; these are only backstops far beyond it.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return {
    send(request: TransportRequest): Promise<TransportResponse> {
      return new Promise<TransportResponse>((resolve, reject) => {
        const exchange = new Exchange(request.maxResponseBytes, request.timeoutMs, resolve, reject);
        try {
          pool.dispatch(
            {
              origin: url.origin,
              method: request.method as Dispatcher.HttpMethod,
              path: basePath + request.path,
              headers: request.headers,
              body: request.body ?? null,
            },
            exchange,
          );
        } catch (error) {
          exchange.fail(new TransportError('invalid-request', codeOf(error) ?? 'TypeError'));
        }
      });
    },
    sockets() {
      const { connected, free } = pool.stats;
      return { busy: connected - free, free };
    },
    async close() {
      await pool.destroy();
    },
  };
}
