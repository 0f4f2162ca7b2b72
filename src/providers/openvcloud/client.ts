import { z } from 'zod';
import { ErrorCode, type UpstreamError } from '../../errors.js';
import { RestClient, type RestClientOptions, type RestRequest } from '../http.js';
import { truncate } from '../../lib/ids.js';
import { answeredOther } from '../answerCheck.js';
import {
  accountDto,
  calculateAccountDto,
  cloudspaceDto,
  machineDto,
  type AccountDto,
  type CalculateAccountDto,
  type CloudspaceDto,
  type MachineDto,
} from './dto.js';

// The answers' shapes live in dto.ts; their types are still imported from here by the provider's other modules.
export type { CalculateAccountDto, AccountDto, CloudspaceDto, MachineDto } from './dto.js';

const CLOUDAPI = '/restmachine/cloudapi';

export type OpenvcloudCredentials = { token: string } | { username: string; password: string };

/**
 * The G8 Cloud API: `/restmachine/cloudapi/<actor>/<method>`, JWT bearer auth (or a legacy
 * session key from users/authenticate), epoch-second windows. Listing methods are POSTs, as
 * the upstream documents them; calculate is a GET.
 */
export class OpenvcloudClient extends RestClient {
  /** The legacy session key, shared by every request's view of this client (see RestClient.forRequest). */
  private readonly login: { key: Promise<string> | null } = { key: null };

  constructor(
    options: RestClientOptions,
    private readonly credentials: OpenvcloudCredentials,
  ) {
    super(options);
  }

  protected override async willSendRequest(request: {
    headers: Record<string, string>;
    query: URLSearchParams;
  }): Promise<void> {
    if ('token' in this.credentials) {
      request.headers.authorization = `bearer ${this.credentials.token}`;
      return;
    }
    request.query.set('authkey', await this.session());
  }

  /** Legacy login: the body is the session key as a JSON string. One login is shared by concurrent calls. */
  private session(): Promise<string> {
    if (!('username' in this.credentials)) throw new Error('session() needs username/password credentials');
    const { username, password } = this.credentials;
    this.login.key ??= this.send({
      method: 'POST',
      path: `${CLOUDAPI}/users/authenticate`,
      body: { username, password },
      form: true,
      operation: 'users/authenticate',
    })
      .then((response) => {
        if (response.status !== 200)
          throw this.errorFromResponse(response, { operation: 'users/authenticate' } as RestRequest);
        const key = response.text.trim().replace(/^"|"$/g, '');
        if (!key) throw this.badResponse({ operation: 'users/authenticate' }, 'an empty session key');
        return key;
      })
      .catch((error: unknown) => {
        this.login.key = null;
        throw error;
      });
    return this.login.key;
  }

  private async call<T>(request: RestRequest, schema: z.ZodType<T>): Promise<T> {
    let body: unknown;
    try {
      body = await this.json(request);
    } catch (error) {
      // A legacy session key expires: log in again once, then give up.
      if (
        'username' in this.credentials &&
        (error as UpstreamError).code === ErrorCode.UPSTREAM_AUTH_FAILED &&
        this.login.key
      ) {
        this.login.key = null;
        body = await this.json(request);
      } else {
        throw error;
      }
    }
    return this.conform(request, schema, body);
  }

  /**
   * Consumption tree of one account for [start, end), epoch seconds, checked against what was
   * asked (calculateMismatch). The tree does not echo its window, so that cannot be checked.
   */
  async calculate(accountId: string, startSec: number, endSec: number): Promise<CalculateAccountDto> {
    const request: RestRequest = {
      method: 'GET',
      path: `${CLOUDAPI}/billing/calculate`,
      query: { accountId, start: startSec, end: endSec },
      operation: 'billing/calculate',
    };
    const { account } = await this.call(request, calculateAccountDto);
    const mismatch = calculateMismatch(accountId, account);
    if (mismatch) throw this.badResponse(request, mismatch, 200);
    return account;
  }

  listAccounts(): Promise<AccountDto[]> {
    return this.call(
      { method: 'POST', path: `${CLOUDAPI}/accounts/list`, operation: 'accounts/list', idempotent: true },
      z.array(accountDto),
    );
  }

  listCloudspaces(): Promise<CloudspaceDto[]> {
    return this.call(
      { method: 'POST', path: `${CLOUDAPI}/cloudspaces/list`, operation: 'cloudspaces/list', idempotent: true },
      z.array(cloudspaceDto),
    );
  }

  listMachines(cloudspaceId: string): Promise<MachineDto[]> {
    return this.call(
      {
        method: 'POST',
        path: `${CLOUDAPI}/machines/list`,
        body: { cloudspaceId },
        form: true,
        operation: 'machines/list',
        idempotent: true,
      },
      z.array(machineDto),
    );
  }
}

/** Machine-level units (docs/upstreams/openvcloud.md#calculate): on a cloudspace they are the sum of its machines'. */
const MACHINE_METRICS = ['CU', 'SU', 'TU'] as const;

/**
 * What a calculate tree got wrong against the account asked for, or null: another account's
 * tree (a G8 ignoring `accountId` answers the same tree for every account), a node filed under
 * another id's key, or a cloudspace charged for CU/SU/TU with no machine to carry them (its
 * machines dropped from the tree: those units exist only at machine level, so the per-machine
 * figures would silently read as "no consumption").
 */
export function calculateMismatch(accountId: string, account: CalculateAccountDto): string | null {
  if (account.id !== accountId) return answeredOther('account', accountId, account.id);
  for (const [key, cs] of Object.entries(account.cloudspaces)) {
    if (cs.id !== key) return answeredOther(`cloudspaces["${truncate(key, 20)}"].id`, key, cs.id);
    for (const [machineKey, m] of Object.entries(cs.machines))
      if (m.id !== machineKey)
        return answeredOther(`cloudspace ${cs.id} machines["${truncate(machineKey, 20)}"].id`, machineKey, m.id);
    const charged = MACHINE_METRICS.find((metric) => !isZero(cs.consumption[metric]));
    if (charged && Object.keys(cs.machines).length === 0)
      return `a tree whose cloudspace ${cs.id} has ${charged} consumption but no machines`;
  }
  return null;
}

/** A number literal that is zero ("0", "0.000000", "-0e3"); an absent metric counts as zero. */
const isZero = (literal: string | undefined): boolean =>
  literal === undefined || !/[1-9]/.test(literal.split(/[eE]/)[0]!);
