import { parse } from 'lossless-json';
import { z } from 'zod';
import { ErrorCode, type UpstreamError } from '../../errors.js';
import { formatDateTime, parseDateTime } from '../../lib/dateTime.js';
import { RestClient, type RestRequest, type RestResponse } from '../http.js';
import { losslessNumber } from '../jsonNumbers.js';

export const CONSUMPTION_PATH = '/v1/consumer/consumption';

// The body is parsed with LosslessNumber wrappers (not literal strings), so a wrong-typed field
// such as `"images": "12"` is caught.
const jsonNumber = losslessNumber;
const integerLiteral = jsonNumber.refine((v) => /^\d+$/.test(v), 'a non-negative integer');
const decimalLiteral = jsonNumber.refine((v) => /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v), 'a decimal number');

// ConsumptionDetails (docs/upstreams/civitai.md#endpoint): all four fields optional; the dates nullable.
const consumptionDetailsDto = z.object({
  images: integerLiteral.optional(),
  totalCost: decimalLiteral.optional(),
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
    // lossless-json's own parse keeps numbers as LosslessNumber, so a quoted "12" is refused.
    const dto = this.conform(request, consumptionDetailsDto, await this.json(request, parse));
    // Each field is optional upstream (docs/upstreams/civitai.md#endpoint), but an answer with neither is no answer: it must not read as zero spend.
    if (dto.images === undefined && dto.totalCost === undefined) {
      throw this.badResponse(
        request,
        'a body that does not match its contract (body: neither "images" nor "totalCost")',
        200,
      );
    }
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
