import { z } from 'zod';
import { ErrorCode, type UpstreamError } from '../../errors.js';
import { RestClient, type RestClientOptions, type RestRequest } from '../http.js';
import { numberLiteral } from '../jsonNumbers.js';

const CLOUDAPI = '/restmachine/cloudapi';

const idLiteral = z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String);

const consumptionDto = z.record(z.string(), numberLiteral);
const machineNodeDto = z.object({ id: idLiteral, name: z.string().nullish(), consumption: consumptionDto });
const cloudspaceNodeDto = z.object({
  id: idLiteral,
  name: z.string().nullish(),
  machines: z.record(z.string(), machineNodeDto).default({}),
  consumption: consumptionDto,
});
const calculateAccountDto = z.object({
  account: z.object({
    id: idLiteral,
    name: z.string().nullish(),
    cloudspaces: z.record(z.string(), cloudspaceNodeDto).default({}),
    consumption: consumptionDto,
  }),
});
const accountDto = z.object({
  id: idLiteral,
  name: z.string().nullish(),
  creationTime: numberLiteral.nullish(),
  updateTime: numberLiteral.nullish(),
});
const cloudspaceDto = z.object({
  id: idLiteral,
  accountId: idLiteral,
  name: z.string().nullish(),
  status: z.string().nullish(),
  location: z.string().nullish(),
});
const machineDto = z.object({
  id: idLiteral,
  cloudspaceid: idLiteral,
  name: z.string().nullish(),
  hostname: z.string().nullish(),
  status: z.string().nullish(),
  memory: numberLiteral.nullish(),
  vcpus: numberLiteral.nullish(),
  storage: numberLiteral.nullish(),
  creationTime: numberLiteral.nullish(),
});

export type CalculateAccountDto = z.infer<typeof calculateAccountDto>['account'];
export type AccountDto = z.infer<typeof accountDto>;
export type CloudspaceDto = z.infer<typeof cloudspaceDto>;
export type MachineDto = z.infer<typeof machineDto>;

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

  /** Consumption tree of one account for [start, end), epoch seconds. */
  async calculate(accountId: string, startSec: number, endSec: number): Promise<CalculateAccountDto> {
    const result = await this.call(
      {
        method: 'GET',
        path: `${CLOUDAPI}/billing/calculate`,
        query: { accountId, start: startSec, end: endSec },
        operation: 'billing/calculate',
      },
      calculateAccountDto,
    );
    return result.account;
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
