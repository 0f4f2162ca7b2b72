import { z } from 'zod';
import { ErrorCode, type UpstreamError } from '../../errors.js';
import { formatDateTime, parseDateTime } from '../../lib/dateTime.js';
import { RestClient, type RestRequest, type RestResponse } from '../http.js';
import { typedNumber } from '../jsonNumbers.js';
import { parseJsonTyped } from '../../lib/parseJsonLossless.js';

export const CONSUMPTION_PATH = '/v1/consumer/consumption';

// The body is parsed with numbers marked apart from strings (parseJsonTyped), so a wrong-typed
// field such as `"images": "12"` is caught.
const jsonNumber = typedNumber;
const integerLiteral = jsonNumber.refine((v) => /^\d+$/.test(v), 'a non-negative integer');
const decimalLiteral = jsonNumber.refine((v) => /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v), 'a decimal number');

// ConsumptionDetails (docs/upstreams/civitai.md#endpoint): all four fields are optional in the
// generated clients, but a missing count or total cannot be told from zero, and reading it as 0
// would report no spend (`{"images":0}` is not "0 Buzz"): billgraph requires both. The dates are
// nullable echoes.
const consumptionDetailsDto = z.object({
  images: integerLiteral,
  totalCost: decimalLiteral,
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
});

export type ConsumptionDetailsDto = z.infer<typeof consumptionDetailsDto>;

/**
 * Civitai Orchestration v1: `Authorization: Bearer <apiKey>`, date-time windows as camelCase
 * `startDate`/`endDate` (snake_case would be silently ignored upstream — docs/upstreams/civitai.md#endpoint).
 */
export class CivitaiClient extends RestClient {
  /** Totals for [startMs, endMs): one upstream call. */
  async consumption(startMs: number, endMs: number): Promise<ConsumptionDetailsDto> {
    const request: RestRequest = {
      method: 'GET',
      path: CONSUMPTION_PATH,
      query: { startDate: formatDateTime(startMs), endDate: formatDateTime(endMs) },
      operation: 'consumer/consumption',
    };
    // Numbers are kept apart from strings (parseJsonTyped), so a quoted "12" is refused.
    const dto = this.conform(request, consumptionDetailsDto, await this.json(request, parseJsonTyped));
    const mismatch = echoMismatch(dto, startMs, endMs);
    if (mismatch) throw this.badResponse(request, `"${mismatch}" for a different window than billgraph asked for`);
    return dto;
  }

  /** The consumption endpoint always exists: a 404 means a wrong base URL, not a missing object. */
  protected override errorFromResponse(response: RestResponse, request: RestRequest): UpstreamError {
    if (response.status === 404) {
      return this.error(
        ErrorCode.UPSTREAM_BAD_RESPONSE,
        `has no "${request.operation}" endpoint at the configured base URL (HTTP 404)`,
        {
          retryable: false,
          upstreamStatus: 404,
        },
      );
    }
    return super.errorFromResponse(response, request);
  }
}

/**
 * Which echoed bound differs from what was asked, if any. The echo is how a silently ignored
 * parameter (the server's default window instead of ours) is caught instead of reported as data.
 */
export function echoMismatch(dto: ConsumptionDetailsDto, startMs: number, endMs: number): string | null {
  for (const [name, echoed, asked] of [
    ['startDate', dto.startDate, startMs],
    ['endDate', dto.endDate, endMs],
  ] as const) {
    if (echoed === null || echoed === undefined) continue;
    if (parseDateTime(echoed) !== asked) return name;
  }
  return null;
}
