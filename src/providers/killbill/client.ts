import { parseJsonLossless } from '../../lib/parseJsonLossless.js';
import { z } from 'zod';
import { isNotFound, UpstreamError, type UpstreamErrorCode } from '../../errors.js';
import { RestClient, type RestClientOptions, type RestRequest, type RestResponse } from '../http.js';
import { answeredOther } from '../answerCheck.js';
import { killbillDateMs } from './mapping.js';
import {
  accountDto,
  billingExceptionDto,
  bundleDto,
  rolledUpUsageDto,
  subscriptionDto,
  type KillbillAccountDto,
  type KillbillBundleDto,
  type KillbillSubscriptionDto,
  type RolledUpUsageDto,
} from './dto.js';

// The answers' shapes live in dto.ts; their types are still imported from here by the provider's other modules.
export type { KillbillAccountDto, KillbillSubscriptionDto, KillbillBundleDto, RolledUpUsageDto } from './dto.js';

const KB = '/1.0/kb';

export interface KillbillCredentials {
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** `USAGE_RECORD_TRACKING_ID_ALREADY_EXISTS` (docs/upstreams/killbill.md#k9). */
export const TRACKING_ID_EXISTS_CODE = '50000';
/** Guard against a server whose NextOffset never ends. */
const MAX_PAGES = 1000;

/** Audit headers of a write (docs/upstreams/killbill.md#auth): CreatedBy is required, reason and comment optional. */
export interface AuditHeaders {
  readonly createdBy: string;
  readonly reason: string | null;
  readonly comment: string | null;
}

/**
 * Kill Bill's REST API under `/1.0/kb`: HTTP Basic for the user plus the tenant's
 * `X-Killbill-ApiKey`/`X-Killbill-ApiSecret` on every call (docs/upstreams/killbill.md#auth). 401s carry no JSON
 * (Shiro challenge or a container page), so status alone decides; other errors may carry a
 * `BillingExceptionJson` whose class and code we surface under our own extension keys.
 */
export class KillbillClient extends RestClient {
  private readonly authorization: string;

  constructor(
    options: RestClientOptions,
    private readonly credentials: KillbillCredentials,
  ) {
    super(options);
    this.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  }

  protected override async willSendRequest(request: {
    headers: Record<string, string>;
    query: URLSearchParams;
  }): Promise<void> {
    request.headers.authorization = this.authorization;
    request.headers['x-killbill-apikey'] = this.credentials.apiKey;
    request.headers['x-killbill-apisecret'] = this.credentials.apiSecret;
  }

  protected override errorFromResponse(response: RestResponse, request: RestRequest): UpstreamError {
    const base = super.errorFromResponse(response, request);
    const exception = readBillingException(response);
    if (!exception || response.status === 401) return base;
    const extra = {
      ...base.detail.extra,
      ...(exception.className && /^[\w.$]{1,200}$/.test(exception.className)
        ? { upstreamClassName: exception.className }
        : {}),
      ...(exception.code ? { upstreamCode: Number(exception.code) } : {}),
    };
    return new UpstreamError(base.message, base.code as UpstreamErrorCode, { ...base.detail, extra });
  }

  /** Sends, maps non-2xx to errors, parses losslessly and checks the DTO; returns the headers too. */
  private async call<T>(
    request: RestRequest,
    schema: z.ZodType<T>,
  ): Promise<{ body: T; headers: RestResponse['headers'] }> {
    const response = await this.send(request);
    if (response.status < 200 || response.status >= 300) throw this.errorFromResponse(response, request);
    let raw: unknown;
    try {
      raw = parseJsonLossless(response.text);
    } catch {
      throw this.badResponse(request, 'a body that is not valid JSON', response.status);
    }
    return { body: this.conform(request, schema, raw, { upstreamStatus: response.status }), headers: response.headers };
  }

  /** Every account of the tenant, following `X-Killbill-Pagination-NextOffset` (docs/upstreams/killbill.md#pagination). */
  async listAccounts(pageSize: number): Promise<KillbillAccountDto[]> {
    const all: KillbillAccountDto[] = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const request: RestRequest = {
        method: 'GET',
        path: `${KB}/accounts/pagination`,
        query: { offset, limit: pageSize },
        operation: 'accounts/pagination',
      };
      const { body, headers } = await this.call(request, z.array(accountDto));
      all.push(...body);
      const next = headers.get('x-killbill-pagination-nextoffset');
      if (next === null || next === '' || body.length === 0) return all;
      if (!/^\d+$/.test(next) || Number(next) <= offset)
        throw this.badResponse(
          request,
          `a pagination NextOffset "${next.slice(0, 20)}" that does not move forward`,
          200,
        );
      offset = Number(next);
    }
    throw this.badResponse({ operation: 'accounts/pagination' }, `more than ${MAX_PAGES} pages`);
  }

  /** The cheapest authenticated call: one account of the first page (Basic and tenant both checked). */
  async ping(): Promise<void> {
    await this.call(
      {
        method: 'GET',
        path: `${KB}/accounts/pagination`,
        query: { offset: 0, limit: 1 },
        operation: 'accounts/pagination',
      },
      z.array(accountDto),
    );
  }

  /** Null when the account does not exist (404, code 3002 or no route). */
  getAccount(accountId: string): Promise<KillbillAccountDto | null> {
    return nullOn404(
      this.call(
        { method: 'GET', path: `${KB}/accounts/${encodeURIComponent(accountId)}`, operation: 'accounts/get' },
        accountDto,
      ).then((r) => r.body),
    );
  }

  async listBundles(accountId: string): Promise<KillbillBundleDto[]> {
    const { body } = await this.call(
      { method: 'GET', path: `${KB}/accounts/${encodeURIComponent(accountId)}/bundles`, operation: 'accounts/bundles' },
      z.array(bundleDto),
    );
    return body;
  }

  /** Null when the subscription does not exist. */
  getSubscription(subscriptionId: string): Promise<KillbillSubscriptionDto | null> {
    return nullOn404(
      this.call(
        {
          method: 'GET',
          path: `${KB}/subscriptions/${encodeURIComponent(subscriptionId)}`,
          operation: 'subscriptions/get',
        },
        subscriptionDto,
      ).then((r) => r.body),
    );
  }

  /** Rolled-up usage of every unit type in [startDate, endDate) — the all-unit-types endpoint, so one call serves any unit filter. */
  async usage(subscriptionId: string, startDate: string, endDate: string): Promise<RolledUpUsageDto> {
    const request: RestRequest = {
      method: 'GET',
      path: `${KB}/usages/${encodeURIComponent(subscriptionId)}`,
      query: { startDate, endDate },
      operation: 'usages/get',
    };
    const { body } = await this.call(request, rolledUpUsageDto);
    const mismatch = usageMismatch(body, subscriptionId, startDate, endDate);
    if (mismatch) throw this.badResponse(request, mismatch, 200);
    return body;
  }

  /**
   * POST /1.0/kb/usages with a body the caller wrote (exact decimals as JSON numbers).
   * 'DUPLICATE' is Kill Bill's refusal of a trackingId it already holds for this subscription
   * (400, code 50000): nothing from the request was stored (docs/upstreams/killbill.md#recording-usage).
   */
  async recordUsage(body: string, audit: AuditHeaders): Promise<'CREATED' | 'DUPLICATE'> {
    const headers: Record<string, string> = { 'x-killbill-createdby': audit.createdBy };
    if (audit.reason !== null) headers['x-killbill-reason'] = audit.reason;
    if (audit.comment !== null) headers['x-killbill-comment'] = audit.comment;
    const request: RestRequest = {
      method: 'POST',
      path: `${KB}/usages`,
      rawJsonBody: body,
      headers,
      operation: 'usages/record',
    };
    const response = await this.send(request);
    if (response.status === 200 || response.status === 201) return 'CREATED';
    if (response.status === 400 && readBillingException(response)?.code === TRACKING_ID_EXISTS_CODE) return 'DUPLICATE';
    throw this.errorFromResponse(response, request);
  }
}

/**
 * What a usage answer got wrong against what was asked, or null. Kill Bill echoes the path's
 * subscription id and the parsed query bounds (docs/upstreams/killbill.md#windows): another
 * subscription or another range means the figures are not the ones asked for. An echo rendered
 * as a date (Kill Bill ≤ 0.22) or as an instant (≥ 0.24) is compared as the instant it names.
 */
export function usageMismatch(
  dto: RolledUpUsageDto,
  subscriptionId: string,
  startDate: string,
  endDate: string,
): string | null {
  if (dto.subscriptionId !== subscriptionId) return answeredOther('subscription', subscriptionId, dto.subscriptionId);
  for (const [name, asked, echoed] of [
    ['startDate', startDate, dto.startDate],
    ['endDate', endDate, dto.endDate],
  ] as const) {
    if (echoed === null || echoed === undefined) continue;
    if (killbillDateMs(echoed) !== killbillDateMs(asked)) return answeredOther(name, asked, echoed);
  }
  return null;
}

function readBillingException(response: RestResponse): z.infer<typeof billingExceptionDto> | null {
  if (!response.text.trim().startsWith('{')) return null;
  try {
    const parsed = billingExceptionDto.safeParse(parseJsonLossless(response.text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function nullOn404<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
