import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import fetch from 'node-fetch';
import {
  TransportError,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

/** node-fetch over a keep-alive node:http Agent: the transport billgraph started with, kept for comparison in the bench. */
export function createNodeFetchTransport(options: TransportOptions): Transport {
  // `timeout` is what makes an idle keep-alive socket expire on OUR side (see IDLE_SOCKET_MS in http.ts).
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    keepAliveMsecs: 1000,
    timeout: options.idleSocketMs,
  };
  const agent = options.baseUrl.startsWith('https:') ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const base = options.baseUrl.replace(/\/+$/, '');
  const count = (pool: NodeJS.ReadOnlyDict<unknown[]>) =>
    Object.values(pool).reduce((n, list) => n + (list?.length ?? 0), 0);
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const controller = new AbortController();
      let timedOut = false;
      let done = false;
      let answered = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, request.timeoutMs);
      try {
        const response = await fetch(base + request.path, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          agent,
          redirect: 'error',
          size: request.maxResponseBytes,
          signal: controller.signal,
        });
        answered = true;
        const text = await response.text();
        done = true;
        return { status: response.status, headers: response.headers, text };
      } catch (error) {
        if (timedOut) throw new TransportError('timeout', undefined);
        if ((error as { type?: string }).type === 'max-size') throw new TransportError('too-large', undefined);
        const code = String((error as { code?: string | number }).code ?? '');
        // Headers arrived, the body did not: node-fetch reports the cut as ECONNRESET or a premature close.
        if (answered && !(error instanceof TypeError)) throw new TransportError('closed-mid-answer', code || undefined);
        if (error instanceof TypeError || /^ERR_/.test(code))
          throw new TransportError('invalid-request', code || 'TypeError');
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new TransportError('network', code || cause || undefined);
      } finally {
        clearTimeout(timer);
        // A failed read (size cap, cut-off body) must not leave its socket busy or pooled half-read.
        if (!done && !controller.signal.aborted) controller.abort();
      }
    },
    sockets() {
      return { busy: count(agent.sockets), free: count(agent.freeSockets) };
    },
    async close() {
      agent.destroy();
    },
  };
}
