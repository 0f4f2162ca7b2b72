/**
 * GET /export/focus: the FOCUS export over HTTP (docs/focus.md), with the same API keys and
 * tenant scoping as /graphql (a tenant exports only its sources). What is refused before the
 * first row is an error answer that says what to change (400 parameters, 422 a row FOCUS cannot
 * hold, 502 a source down); then rows stream as they are read. Which buckets
 * were not final is known before the first row (x-billgraph-not-final); the counts come as HTTP
 * trailers. A source failing mid-export destroys the response, so no client reads a cut file as
 * a whole one; a client that disconnects stops the export.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import type { Config } from '../config.js';
import type { GatewaySource } from '../context.js';
import { ErrorCode } from '../errors.js';
import { logger } from '../logger.js';
import type { Authentication } from '../security/tenantAuth.js';
import { FocusExportError, focusRows, planFocusExport, type FocusExportPlan } from '../export/focus/focusExport.js';
import { focusRequestOf } from '../export/focus/focusRequest.js';
import type { FocusRow } from '../export/focus/focusColumns.js';
import { MEDIA_TYPES, writeFocusRows } from '../export/focus/focusWriter.js';
import { refuseRejectedKey, sendError } from './httpAnswers.js';

export interface FocusRouteOptions {
  readonly sources: ReadonlyMap<string, GatewaySource>;
  readonly limits: Config['limits'];
  readonly currencies: Config['currencies'];
  readonly now: () => number;
  readonly authenticate: (authorization: string | undefined) => Authentication;
}

export type FocusRoute = (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string) => Promise<void>;

/** The header naming, per source, the part of the export that is not final yet ("none" when all is). */
export function notFinalHeader(plan: FocusExportPlan): string {
  const parts = [...plan.notFinal].map(([id, r]) => `${id}=${r.from}/${r.to}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Skipped rows as "source/currency-or-metric=count, …", or "none". */
export const skippedHeader = (plan: FocusExportPlan): string =>
  plan.stats.skipped.size > 0 ? [...plan.stats.skipped].map(([k, n]) => `${k}=${n}`).join(', ') : 'none';

export function createFocusRoute(options: FocusRouteOptions): FocusRoute {
  return async function focusRoute(req, res, url, requestId) {
    const startedAt = performance.now();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(
        res,
        405,
        'The FOCUS export is read with GET /export/focus?start=…&end=….',
        'BAD_REQUEST',
        requestId,
      );
    }
    const auth = options.authenticate(req.headers.authorization);
    if (auth.kind === 'rejected') return refuseRejectedKey(req, res, auth.reason, requestId);
    const deps = { ...options, tenant: auth.tenant };
    let plan: FocusExportPlan;
    try {
      plan = planFocusExport(focusRequestOf(Object.fromEntries(url.searchParams)), deps);
    } catch (error) {
      if (error instanceof FocusExportError)
        return sendError(res, 400, error.message, ErrorCode.BAD_USER_INPUT, requestId);
      throw error;
    }
    const { request } = plan;
    // The first row decides the status: what fails before it (a refusal, a source down) is still an error answer.
    const rows = focusRows(plan, deps)[Symbol.asyncIterator]();
    let first: IteratorResult<FocusRow>;
    try {
      first = await rows.next();
    } catch (error) {
      if (!(error instanceof FocusExportError)) throw error;
      const [status, code] =
        error.stage === 'source' ? [502, ErrorCode.UPSTREAM_UNAVAILABLE] : [422, ErrorCode.BAD_USER_INPUT];
      logger.warn('focus export refused', { requestId, tenant: auth.tenant.name, stage: error.stage });
      return sendError(res, status, error.message, code, requestId);
    }
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    res.writeHead(200, {
      'content-type': MEDIA_TYPES[request.format],
      'content-disposition': `attachment; filename="billgraph-focus-${request.version}-${day(request.startMs)}-${day(request.endMs)}.${request.format}"`,
      'cache-control': 'no-store',
      'x-billgraph-focus-version': request.version,
      'x-billgraph-not-final': notFinalHeader(plan),
      trailer: 'x-billgraph-rows, x-billgraph-skipped, x-billgraph-upstream-calls',
    });
    if (req.method === 'HEAD') {
      await rows.return?.(undefined);
      return void res.end();
    }
    const abort = new AbortController();
    // The client went away: stop reading sources (pipeline also stops on the closed response).
    res.once('close', () => abort.abort());
    let outcome: 'complete' | 'client-closed' | 'failed' = 'complete';
    try {
      // The response's end is ours: trailers go after the last row.
      const body = new PassThrough();
      body.pipe(res, { end: false });
      const all = async function* (): AsyncGenerator<FocusRow> {
        if (first.done) return;
        yield first.value;
        for (let next = await rows.next(); !next.done; next = await rows.next()) yield next.value;
      };
      await writeFocusRows(all(), plan.columns, request.format, body, abort.signal);
      await new Promise<void>((resolve) => (body.writableFinished ? resolve() : body.once('finish', resolve)));
      res.addTrailers({
        'x-billgraph-rows': String(plan.stats.rows),
        'x-billgraph-skipped': skippedHeader(plan),
        'x-billgraph-upstream-calls': String(plan.stats.upstreamCalls),
      });
      res.end();
    } catch (error) {
      if (abort.signal.aborted) outcome = 'client-closed';
      else {
        outcome = 'failed';
        logger.warn('focus export failed', {
          requestId,
          error: error instanceof FocusExportError ? error.message : 'unexpected',
          ...(error instanceof FocusExportError ? {} : { cause: error }),
        });
      }
      // Never end a cut export cleanly: an incomplete chunked body is what every client notices.
      res.destroy();
    } finally {
      logger.info('focus export', {
        requestId,
        tenant: auth.tenant.name,
        outcome,
        rows: plan.stats.rows,
        upstreamCalls: plan.stats.upstreamCalls,
        durationMs: Math.round(performance.now() - startedAt),
      });
    }
  };
}
