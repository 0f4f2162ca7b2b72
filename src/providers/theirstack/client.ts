import { parseJsonLossless, parseJsonTyped } from '../../lib/parseJsonLossless.js';
import { z } from 'zod';
import { ErrorCode, UpstreamError, type UpstreamErrorCode } from '../../errors.js';
import { localWallClock } from '../../lib/localDays.js';
import { logger } from '../../logger.js';
import { RestClient, type RestRequest, type RestResponse } from '../http.js';
import { typedNumber } from '../jsonNumbers.js';

export const CONSUMPTION_PATH = '/v0/teams/credits_consumption';
export const BALANCE_PATH = '/v0/billing/credit-balance';

// Bodies are parsed with numbers marked apart from strings (parseJsonTyped), so a quoted number
// such as `"api_credits_consumed": "12"` is caught.
const jsonNumber = typedNumber;
const creditLiteral = jsonNumber.refine((v) => /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v), 'a non-negative number');

const dayDto = z.object({
  period_start: z.string(),
  api_credits_consumed: creditLiteral,
  ui_credits_consumed: creditLiteral,
});
const balanceDto = z.object({ api_credits: jsonNumber, used_api_credits: jsonNumber }).loose();

export type CreditsDayDto = z.infer<typeof dayDto>;

/** The documented error body, and FastAPI's older 422 shape (docs/upstreams/theirstack.md#errors). */
const errorBodyDto = z.union([
  z.object({
    error: z.object({ code: z.string().nullish(), title: z.string(), description: z.string().nullish() }),
    request_id: z.union([z.string(), z.number()]).nullish(),
  }),
  z.object({ detail: z.unknown() }),
]);

/**
 * TheirStack v0: `Authorization: Bearer <token>`; windows as wall-clock datetimes in `timezone`
 * with an inclusive end, so [start, end) is sent as start … end − 1 s (docs/upstreams/theirstack.md#time-semantics).
 */
export class TheirstackClient extends RestClient {
  /** Daily credits for the local days of [startMs, endMs) in `timeZone`: one upstream call. */
  creditsConsumption(startMs: number, endMs: number, timeZone: string): Promise<CreditsDayDto[]> {
    return this.call(
      {
        method: 'GET',
        path: CONSUMPTION_PATH,
        query: {
          start_datetime: localWallClock(startMs, timeZone),
          end_datetime: localWallClock(endMs - 1000, timeZone),
          timezone: timeZone,
        },
        operation: 'teams/credits_consumption',
      },
      z.array(dayDto),
    );
  }

  /** The cheapest authenticated call, for /readyz. */
  creditBalance(): Promise<unknown> {
    return this.call({ method: 'GET', path: BALANCE_PATH, operation: 'billing/credit-balance' }, balanceDto);
  }

  private async call<T>(request: RestRequest, schema: z.ZodType<T>): Promise<T> {
    // Numbers are kept apart from strings (parseJsonTyped), so a quoted number is refused.
    return this.conform(request, schema, await this.json(request, parseJsonTyped));
  }

  /**
   * Status → code (docs/upstreams/theirstack.md#errors), plus what TheirStack's error body adds: `request_id` (to
   * quote to their support) and the `E-0xx` code, under our own extension keys.
   *
   * 400 and 422 → UPSTREAM_BAD_RESPONSE, not BAD_USER_INPUT: billgraph validates every window
   * (order, IANA zone, day alignment) before it calls, so a refusal means billgraph and
   * TheirStack disagree about the contract. The caller cannot fix that by changing arguments,
   * and retrying will not help either; it is logged as a gateway bug.
   */
  /** Retry-After is not documented; the IETF RateLimit header's t= always is (docs/upstreams/theirstack.md#t3). */
  protected override retryAfterSeconds(response: RestResponse): number | undefined {
    return super.retryAfterSeconds(response) ?? rateLimitReset(response.headers.get('ratelimit'));
  }

  protected override errorFromResponse(response: RestResponse, request: RestRequest): UpstreamError {
    const { status } = response;
    const body = readErrorBody(response.text);
    const extra = {
      ...(body.requestId !== undefined ? { upstreamRequestId: body.requestId } : {}),
      ...(body.code !== undefined ? { upstreamErrorCode: body.code } : {}),
    };
    const withExtra = (code: UpstreamErrorCode, what: string, detail: { retryable: boolean; retryAfter?: number }) =>
      this.error(code, what, { ...detail, upstreamStatus: status, extra });
    const ref = body.code ? `HTTP ${status}, ${body.code}` : `HTTP ${status}`;
    switch (true) {
      case status === 400 || status === 422:
        logger.warn('TheirStack refused a request billgraph built; this is a billgraph bug', {
          source: this.options.sourceId,
          status,
          ...extra,
        });
        return withExtra(
          ErrorCode.UPSTREAM_BAD_RESPONSE,
          `refused the request billgraph built for "${request.operation}" as invalid (${ref})`,
          { retryable: false },
        );
      case status === 401 || status === 403:
        return withExtra(
          ErrorCode.UPSTREAM_AUTH_FAILED,
          `rejected billgraph's API key for "${request.operation}" (${ref})`,
          { retryable: false },
        );
      case status === 402:
        return withExtra(
          ErrorCode.UPSTREAM_PAYMENT_REQUIRED,
          `has no credits left or its plan does not allow "${request.operation}" (${ref})`,
          { retryable: false },
        );
      case status === 404:
        return withExtra(
          ErrorCode.UPSTREAM_BAD_RESPONSE,
          `has no "${request.operation}" endpoint at the configured base URL (${ref})`,
          { retryable: false },
        );
      case status === 429: {
        const retryAfter = this.retryAfterSeconds(response);
        return withExtra(
          ErrorCode.UPSTREAM_RATE_LIMITED,
          `is rate limiting "${request.operation}"${retryAfter !== undefined ? `; retry after ${retryAfter} s` : ''}`,
          {
            retryable: true,
            ...(retryAfter !== undefined ? { retryAfter } : {}),
          },
        );
      }
      case status >= 500:
        return withExtra(ErrorCode.UPSTREAM_UNAVAILABLE, `failed "${request.operation}" (${ref})`, { retryable: true });
      default:
        return withExtra(ErrorCode.UPSTREAM_BAD_RESPONSE, `refused "${request.operation}" (${ref})`, {
          retryable: false,
        });
    }
  }
}

/** request_id (as its literal digits) and the E-0xx code of an error body; empty when it has neither. */
function readErrorBody(text: string): { requestId?: string; code?: string } {
  let raw: unknown;
  try {
    raw = parseJsonLossless(text);
  } catch {
    return {};
  }
  const parsed = errorBodyDto.safeParse(raw);
  if (!parsed.success || !('error' in parsed.data)) return {};
  const { error, request_id: requestId } = parsed.data;
  // Only short, safe tokens are surfaced: an error body is upstream-controlled text.
  const id = requestId === null || requestId === undefined ? undefined : String(requestId);
  return {
    ...(id !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? { requestId: id } : {}),
    ...(error.code && /^E-\d{3}$/.test(error.code) ? { code: error.code } : {}),
  };
}

/** Seconds until the most constrained policy resets, from `RateLimit: "p"; r=0; t=12, "q"; r=3; t=40`. */
export function rateLimitReset(header: string | null): number | undefined {
  if (!header) return undefined;
  const policies = header.split(',').map((part) => ({
    r: Number(/(?:^|;)\s*r=(\d+)/.exec(part)?.[1] ?? Number.NaN),
    t: Number(/(?:^|;)\s*t=(\d+)/.exec(part)?.[1] ?? Number.NaN),
  }));
  const exhausted = policies.filter((p) => p.r === 0 && Number.isFinite(p.t));
  const candidates = (exhausted.length ? exhausted : policies).map((p) => p.t).filter(Number.isFinite);
  return candidates.length ? Math.max(...candidates) : undefined;
}
