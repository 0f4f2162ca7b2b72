// The harness every provider simulator is built on: a real node:http server on loopback that
// routes, records every request, and can be told over HTTP (/__sim/*) to slow down or misbehave,
// so an out-of-process gateway test can drive it the same way an in-process one does.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StringMap = Record<string, string>;

/** One request as the simulator received it. Handlers, fault predicates and the log all see this object. */
export interface SimRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Name of the matched route (its path pattern unless named), or `UNMATCHED_ROUTE`. */
  readonly route: string;
  /** URL path without the query string. */
  readonly path: string;
  /** Path parameters, URL-decoded: `/usages/:id` matched against `/usages/7` gives `{ id: '7' }`. */
  readonly params: StringMap;
  /** Query string; a repeated key keeps its last value. */
  readonly query: StringMap;
  /** An `application/x-www-form-urlencoded` body, or the scalar top-level fields of a JSON object body. */
  readonly form: StringMap;
  /** The parsed body when it was `application/json` and parsed; otherwise undefined. */
  readonly json: unknown;
  /** The body as UTF-8 text ('' when there was none). */
  readonly rawBody: string;
  /** `params`, `query` and `form` merged, later ones winning: for upstreams that take arguments from anywhere. */
  readonly args: StringMap;
  /** Lower-case header names; repeated headers joined with ', '. */
  readonly headers: StringMap;
  /** When the request was received, in epoch milliseconds. */
  readonly at: number;
}

export type RecordedRequest = SimRequest;

/** The `route` of a request that matched no registered route. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * What a handler answers. `body` is sent as-is when it is a string (default Content-Type
 * text/plain) or a Buffer (application/octet-stream); anything else is JSON.stringify'd
 * (application/json). A `content-type` in `headers` always wins.
 */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object | number | boolean | null;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RouteDef {
  /** Name used in the log, in counters and in fault rules. @default the `path` pattern */
  name?: string;
  /** One method or several, case-insensitive. */
  method: string | readonly string[];
  /** Path pattern; a `:name` segment matches exactly one non-empty segment. */
  path: string;
  handler: Handler;
}

export type RequestPredicate = (req: SimRequest) => boolean;

export interface RequestFilter {
  route?: string;
  method?: string;
  where?: RequestPredicate;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string | object; contentType?: string; headers?: Record<string, string> }
  /** 429 with `Retry-After: <retryAfterSeconds>`. */
  | { kind: 'rateLimit'; retryAfterSeconds: number; body?: string | object }
  /** Never answers: the socket is held until the client gives up or the simulator closes. */
  | { kind: 'timeout' }
  /** 200 application/json whose body does not parse. @default body `DEFAULT_MALFORMED_BODY` */
  | { kind: 'malformed'; body?: string }
  /** Runs the real handler (its side effects happen) and then destroys the socket without answering. */
  | { kind: 'dropResponse' }
  /** Resets the connection (TCP RST) before answering, without running the handler. */
  | { kind: 'reset' }
  /**
   * Runs the real handler, sends its status and headers at once, then its body `chunkBytes` at a
   * time every `intervalMs` (the whole body can take minutes). @default chunkBytes 4, intervalMs 200
   */
  | { kind: 'slowDrip'; chunkBytes?: number; intervalMs?: number }
  /** Runs the real handler, announces a Content-Length larger than the bytes it sends, sends half the body and closes. */
  | { kind: 'truncated' }
  /** A 200 application/json body of `bytes` bytes (a JSON object with one long string). @default bytes 10 MiB */
  | { kind: 'hugeBody'; bytes?: number }
  /**
   * Runs the real handler and answers what `rewrite` makes of its JSON body (status and headers
   * kept, Content-Length recomputed): a well-formed answer with the wrong content, e.g. another
   * account's tree or a day missing. Non-JSON answers pass unchanged. In-process only: a function
   * cannot travel over /__sim/faults.
   */
  | { kind: 'rewrite'; rewrite: (body: unknown, req: SimRequest) => unknown };

export interface FaultRule {
  fault: Fault;
  /** Only requests to this route name. */
  route?: string;
  /** Only this method, case-insensitive. */
  method?: string;
  /** Only requests whose `args` contain all of these key/value pairs (usable over HTTP, unlike `where`). */
  match?: StringMap;
  where?: RequestPredicate;
  /** How many matching requests the fault applies to before it is removed. @default unlimited */
  times?: number;
}

/** Truncated mid-value, so every JSON parser rejects it. */
export const DEFAULT_MALFORMED_BODY = '{"result": [1, 2, {"truncated": tr';

export interface SimulatorOptions {
  routes: readonly RouteDef[];
  /** TCP port. @default 0 (a free port chosen by the OS) */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Delay before every response, in milliseconds. @default 0 */
  latencyMs?: number;
  /**
   * How this upstream renders the errors the kit produces itself (unknown route, wrong method,
   * handler crash, status/rateLimit faults without a body), so they look like the upstream's own.
   * @default `{ "error": message }` as JSON
   */
  errorResponse?: (status: number, message: string) => SimResponse;
}

export interface SimulatorHandle {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Every request received since the last reset, oldest first; control calls excluded. */
  readonly requests: readonly RecordedRequest[];
  count(filter?: RequestFilter): number;
  resetCounters(): void;
  /** @param ms delay before every response, in milliseconds */
  setLatency(ms: number): void;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** TCP connections open right now (keep-alive and fault-held ones included). */
  readonly openConnections: number;
  /** Stops listening and destroys every open socket, including ones held by a `timeout` fault. */
  close(): Promise<void>;
}

/** A JSON response: `value` is JSON.stringify'd (a string becomes a JSON string literal). */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A JSON response whose text the caller wrote itself, e.g. to control how numbers are printed. */
export function jsonText(status: number, text: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: text };
}

const CONTROL_PREFIX = '/__sim/';
const FAULT_KINDS: ReadonlySet<string> = new Set([
  'status',
  'rateLimit',
  'timeout',
  'malformed',
  'dropResponse',
  'reset',
  'slowDrip',
  'truncated',
  'hugeBody',
  'rewrite',
]);

/** Default size of a `hugeBody` fault: 10 MiB. */
export const DEFAULT_HUGE_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  name: string;
  methods: ReadonlySet<string>;
  segments: readonly string[];
  handler: Handler;
}

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const routes = opts.routes.map(compileRoute);
  const errorResponse = opts.errorResponse ?? ((status: number, message: string) => json(status, { error: message }));
  let latencyMs = checkLatency(opts.latencyMs ?? 0);
  let log: RecordedRequest[] = [];
  let faults: ActiveFault[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const resetCounters = () => {
    log = [];
  };
  const setLatency = (ms: number) => {
    latencyMs = checkLatency(ms);
  };
  const injectFault = (rule: FaultRule) => {
    if (!FAULT_KINDS.has(rule.fault.kind))
      throw new TypeError(
        `Fault kind must be one of ${[...FAULT_KINDS].join(', ')}, got "${String(rule.fault.kind)}".`,
      );
    faults.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  };
  const clearFaults = () => {
    faults = [];
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function takeFault(req: SimRequest): Fault | undefined {
    const active = faults.find(
      ({ rule }) => matchesFilter(req, rule) && Object.entries(rule.match ?? {}).every(([k, v]) => req.args[k] === v),
    );
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) faults = faults.filter((f) => f !== active);
    return active.rule.fault;
  }

  async function serve(
    req: SimRequest,
    route: CompiledRoute | undefined,
    allowed: readonly string[],
    res: http.ServerResponse,
  ) {
    const run = async (): Promise<SimResponse> => {
      if (route) return route.handler(req);
      if (allowed.length > 0) {
        const r = errorResponse(
          405,
          `Method "${req.method}" is not allowed on "${req.path}"; expected one of ${allowed.join(', ')}.`,
        );
        return { ...r, headers: { ...r.headers, allow: allowed.join(', ') } };
      }
      return errorResponse(404, `No route matches "${req.method} ${req.path}".`);
    };
    const runSafely = async (): Promise<SimResponse> => {
      try {
        return await run();
      } catch (err) {
        return errorResponse(
          500,
          `Simulator handler for "${req.route}" failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    };

    const fault = takeFault(req);
    if (fault?.kind === 'timeout') return; // hold the socket; close() destroys it
    if (fault?.kind === 'reset') {
      const socket = res.socket;
      if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket?.destroy();
      return;
    }
    if (latencyMs > 0) await sleep(latencyMs);
    if (!fault) return send(res, await runSafely());
    switch (fault.kind) {
      case 'status': {
        const base =
          fault.body === undefined
            ? errorResponse(fault.status, `Simulated HTTP ${fault.status}.`)
            : { status: fault.status, body: fault.body };
        const headers = {
          ...base.headers,
          ...(fault.contentType ? { 'content-type': fault.contentType } : {}),
          ...fault.headers,
        };
        return send(res, { ...base, status: fault.status, headers });
      }
      case 'rateLimit': {
        const base =
          fault.body === undefined ? errorResponse(429, 'Simulated rate limit.') : { status: 429, body: fault.body };
        return send(res, {
          ...base,
          status: 429,
          headers: { ...base.headers, 'retry-after': String(fault.retryAfterSeconds) },
        });
      }
      case 'malformed':
        return send(res, jsonText(200, fault.body ?? DEFAULT_MALFORMED_BODY));
      case 'dropResponse':
        await runSafely();
        res.socket?.destroy();
        return;
      case 'hugeBody':
        return send(res, {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: hugeBodyOf(Math.max(16, fault.bytes ?? DEFAULT_HUGE_BODY_BYTES)),
        });
      case 'rewrite':
        return send(res, rewritten(await runSafely(), fault.rewrite, req));
      case 'truncated': {
        const { status, headers, body } = encode(await runSafely());
        res.writeHead(status, { ...headers, 'content-length': String(body.length + 64) });
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        // Let the half body leave before the close, so the client sees a short body, not a reset.
        setImmediate(() => res.socket?.destroy());
        return;
      }
      case 'slowDrip': {
        const { status, headers, body } = encode(await runSafely());
        const chunk = Math.max(1, fault.chunkBytes ?? 4);
        const interval = Math.max(1, fault.intervalMs ?? 200);
        res.writeHead(status, headers);
        res.flushHeaders();
        let sent = 0;
        while (sent < body.length && !res.destroyed) {
          await sleep(interval);
          if (res.destroyed) return;
          res.write(body.subarray(sent, sent + chunk));
          sent += chunk;
        }
        if (!res.destroyed) res.end();
        return;
      }
      default:
        return assertNever(fault);
    }
  }

  function control(method: string, path: string, body: string, query: StringMap): SimResponse {
    const name = path.slice(CONTROL_PREFIX.length);
    if (name === 'requests' && method === 'GET') {
      const selected = query.route ? log.filter((r) => r.route === query.route) : log;
      const counts: Record<string, number> = {};
      for (const r of log) counts[r.route] = (counts[r.route] ?? 0) + 1;
      return json(200, { total: log.length, counts, requests: selected });
    }
    if (name === 'connections' && method === 'GET') return json(200, { open: sockets.size });
    if (name === 'reset' && method === 'POST') {
      resetCounters();
      return json(200, { total: 0 });
    }
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      return json(400, { error: `Control body must be a JSON object, got "${body.slice(0, 80)}".` });
    }
    if (name === 'latency' && method === 'POST') {
      const ms = input.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        return json(400, { error: `"ms" must be a non-negative number of milliseconds, got "${String(ms)}".` });
      setLatency(ms);
      return json(200, { latencyMs });
    }
    if (name === 'faults' && method === 'POST') {
      const fault = input.fault as Fault | undefined;
      if (typeof fault !== 'object' || fault === null || !FAULT_KINDS.has(fault.kind)) {
        return json(400, {
          error: `"fault.kind" must be one of ${[...FAULT_KINDS].join(', ')}, got "${String(fault?.kind)}".`,
        });
      }
      if (fault.kind === 'rewrite')
        return json(400, { error: 'A "rewrite" fault holds a function: inject it in-process (handle.injectFault).' });
      const { route, method: m, times, match } = input;
      injectFault({
        fault,
        ...(typeof route === 'string' ? { route } : {}),
        ...(typeof m === 'string' ? { method: m } : {}),
        ...(typeof times === 'number' ? { times } : {}),
        ...(typeof match === 'object' && match !== null ? { match: match as StringMap } : {}),
      });
      return json(201, { faults: faults.length });
    }
    if (name === 'faults' && method === 'DELETE') {
      clearFaults();
      return json(200, { faults: 0 });
    }
    return json(404, { error: `No control endpoint "${method} ${path}".` });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const url = new URL(req.url ?? '/', 'http://simulator');
      const method = (req.method ?? 'GET').toUpperCase();
      const path = url.pathname;
      const query = Object.fromEntries(url.searchParams);
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (path.startsWith(CONTROL_PREFIX)) return send(res, control(method, path, rawBody, query));

      const headers = flattenHeaders(req.headers);
      const { form, json: parsed } = parseBody(headers['content-type'] ?? '', rawBody);
      let route: CompiledRoute | undefined;
      let params: StringMap = {};
      let pathRoute: CompiledRoute | undefined;
      for (const r of routes) {
        const p = matchPath(r.segments, path);
        if (!p) continue;
        pathRoute ??= r;
        if (r.methods.has(method)) {
          route = r;
          params = p;
          break;
        }
      }
      // A known path with the wrong method is logged under that route so tests can see the mistake.
      const allowed =
        route || !pathRoute ? [] : routes.filter((r) => matchPath(r.segments, path)).flatMap((r) => [...r.methods]);
      const recorded: SimRequest = {
        method,
        route: (route ?? pathRoute)?.name ?? UNMATCHED_ROUTE,
        path,
        params,
        query,
        form,
        json: parsed,
        rawBody,
        args: { ...params, ...query, ...form },
        headers,
        at,
      };
      log.push(recorded);
      serve(recorded, route, allowed, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, errorResponse(500, `Simulator failed: ${String(err)}`));
      });
    });
  });

  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close((err) => (err ? reject(err) : resolve()));
      // Keep-alive and fault-held sockets would otherwise keep close() pending forever.
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://${host}:${port}`,
    port,
    get requests() {
      return log;
    },
    get openConnections() {
      return sockets.size;
    },
    count: (filter = {}) => log.filter((r) => matchesFilter(r, filter)).length,
    resetCounters,
    setLatency,
    injectFault,
    clearFaults,
    close,
  };
}

function compileRoute(def: RouteDef): CompiledRoute {
  const methods = (typeof def.method === 'string' ? [def.method] : def.method).map((m) => m.toUpperCase());
  return { name: def.name ?? def.path, methods: new Set(methods), segments: splitPath(def.path), handler: def.handler };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchPath(pattern: readonly string[], path: string): StringMap | undefined {
  const segments = splitPath(path);
  if (segments.length !== pattern.length) return undefined;
  const params: StringMap = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = segments[i]!;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return undefined;
      }
    } else if (want !== got) {
      return undefined;
    }
  }
  return params;
}

function matchesFilter(req: SimRequest, filter: RequestFilter): boolean {
  return (
    (filter.route === undefined || req.route === filter.route) &&
    (filter.method === undefined || req.method === filter.method.toUpperCase()) &&
    (filter.where === undefined || filter.where(req))
  );
}

function flattenHeaders(raw: http.IncomingHttpHeaders): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseBody(contentType: string, raw: string): { form: StringMap; json: unknown } {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded')
    return { form: Object.fromEntries(new URLSearchParams(raw)), json: undefined };
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { form: {}, json: undefined };
    }
    const form: StringMap = {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') form[k] = String(v);
      }
    }
    return { form, json: parsed };
  }
  return { form: {}, json: undefined };
}

function send(res: http.ServerResponse, r: SimResponse): void {
  if (res.destroyed || res.headersSent) return;
  const { status, headers, body } = encode(r);
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * The `hugeBody` fault's body of `bytes` bytes, built once per size: under load a simulator
 * building 10 MB per answer would slow every simulator in its process, and the measurement would
 * be of the simulator rather than of the gateway.
 */
const hugeBodies = new Map<number, Buffer>();
function hugeBodyOf(bytes: number): Buffer {
  let body = hugeBodies.get(bytes);
  if (!body) {
    body = Buffer.from(`{"padding":"${'x'.repeat(bytes - 14)}"}`, 'utf8');
    hugeBodies.set(bytes, body);
  }
  return body;
}

/** A response's status, final headers (content-type, content-length) and body bytes. */
function encode(r: SimResponse): { status: number; headers: Record<string, string>; body: Buffer } {
  let body: Buffer;
  let type: string;
  if (typeof r.body === 'string') {
    body = Buffer.from(r.body, 'utf8');
    type = 'text/plain; charset=utf-8';
  } else if (Buffer.isBuffer(r.body)) {
    body = r.body;
    type = 'application/octet-stream';
  } else if (r.body === undefined) {
    body = Buffer.alloc(0);
    type = 'text/plain; charset=utf-8';
  } else {
    body = Buffer.from(JSON.stringify(r.body), 'utf8');
    type = 'application/json';
  }
  const headers: Record<string, string> = { 'content-type': type };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  headers['content-length'] = String(body.length);
  return { status: r.status, headers, body };
}

/** `r` with its JSON body replaced by `rewrite(body)`; anything that is not JSON is left as it was. */
function rewritten(r: SimResponse, rewrite: (body: unknown, req: SimRequest) => unknown, req: SimRequest): SimResponse {
  const { status, headers, body } = encode(r);
  if (!/^application\/(.+\+)?json/.test(headers['content-type'] ?? '')) return r;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return r;
  }
  const { 'content-length': _length, ...rest } = headers;
  return { status, headers: rest, body: JSON.stringify(rewrite(parsed, req)) };
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`Latency must be a non-negative number of milliseconds, got "${ms}".`);
  return ms;
}

function assertNever(x: never): never {
  throw new Error(`Unhandled fault kind "${(x as { kind: string }).kind}".`);
}
