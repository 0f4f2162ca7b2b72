/**
 * The floor any gateway pays: plain node:http, no GraphQL, no validation, no schema, just the
 * same upstream walk billgraph makes for the G8 traversal, over keep-alive sockets, answering the
 * same JSON shape. The bench starts it in its own process:
 *
 *   node --import tsx bench/baseline.ts --config sims.json [--port 0]
 *
 * It prints one line `{"url":"http://127.0.0.1:PORT/graphql"}` on stdout once it listens.
 *
 * POST /graphql with a GraphQL-over-HTTP body whose `operationName` is one it knows:
 *   Traversal  variables { w: { start, end }, g?: "TOTAL" | "DAY" }
 *     → { data: { accounts: { edges: [{ node: { name, cloudspaces: [{ name, machines: [{ name,
 *         consumption: [{ metric, quantity }] }] }] } }] } } }
 * The query text itself is ignored. The walk, like billgraph's: accounts/list → cloudspaces/list
 * → machines/list per cloudspace → billing/calculate per account and bucket once that account's
 * machines are known (4 sequential rounds). Numbers keep every digit (number literals are quoted
 * before JSON.parse), as any correct gateway must.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

interface SourceEntry {
  id: string;
  provider: string;
  baseUrl: string;
  credentials: Record<string, string>;
}

const CLOUDAPI = '/restmachine/cloudapi';
const DAY_S = 86_400;
const METRIC_ORDER = ['CU', 'SU', 'TU', 'NU'];

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A keep-alive JSON client for one upstream base URL. */
function upstream(baseUrl: string, headers: Record<string, string>, agent: http.Agent) {
  const base = new URL(baseUrl);
  return (method: 'GET' | 'POST', path: string, body?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          headers: {
            ...headers,
            accept: 'application/json',
            ...(body !== undefined
              ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
              : { 'content-length': 0 }),
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200)
              reject(new HttpError(502, `upstream ${method} ${path}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
            else resolve(text);
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new HttpError(504, `upstream ${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(body);
    });
}

/** JSON.parse that keeps number literals as strings (the bodies are the simulators' own, strings hold no `:<digit>`). */
const parseExact = (text: string): unknown =>
  JSON.parse(text.replace(/([:,[]\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,}\]])/g, '$1"$2"'));

interface Consumption {
  [metric: string]: string;
}
interface CalcTree {
  account: { cloudspaces: Record<string, { machines: Record<string, { consumption: Consumption }> }> };
}

const byMetric = (a: string, b: string) => {
  const ra = METRIC_ORDER.indexOf(a) === -1 ? METRIC_ORDER.length : METRIC_ORDER.indexOf(a);
  const rb = METRIC_ORDER.indexOf(b) === -1 ? METRIC_ORDER.length : METRIC_ORDER.indexOf(b);
  return ra - rb || (a < b ? -1 : 1);
};

/** [start, end) epoch seconds split into TOTAL (one) or UTC-day buckets. */
function buckets(startSec: number, endSec: number, granularity: string): [number, number][] {
  if (granularity === 'TOTAL') return [[startSec, endSec]];
  if (granularity !== 'DAY')
    throw new HttpError(400, `baseline: granularity ${granularity} is not implemented (TOTAL, DAY)`);
  const out: [number, number][] = [];
  for (let s = startSec; s < endSec; s = Math.floor(s / DAY_S) * DAY_S + DAY_S)
    out.push([s, Math.min(endSec, Math.floor(s / DAY_S) * DAY_S + DAY_S)]);
  return out;
}

function createTraversal(g8: SourceEntry, agent: http.Agent) {
  const auth = { authorization: `bearer ${g8.credentials.token ?? ''}` };
  const call = upstream(g8.baseUrl, auth, agent);
  return async (variables: { w?: { start?: string; end?: string }; g?: string }) => {
    const startMs = Date.parse(variables.w?.start ?? '');
    const endMs = Date.parse(variables.w?.end ?? '');
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || startMs >= endMs)
      throw new HttpError(400, 'baseline: variables.w needs start < end');
    const slices = buckets(Math.floor(startMs / 1000), Math.floor(endMs / 1000), variables.g ?? 'TOTAL');
    const accounts = JSON.parse(await call('POST', `${CLOUDAPI}/accounts/list`)) as { id: number; name: string }[];
    const spaces = JSON.parse(await call('POST', `${CLOUDAPI}/cloudspaces/list`)) as {
      id: number;
      accountId: number;
      name: string;
    }[];
    const edges = await Promise.all(
      accounts.map(async (account) => {
        const own = spaces.filter((cs) => cs.accountId === account.id);
        const lists = await Promise.all(
          own.map(
            async (cs) =>
              JSON.parse(await call('POST', `${CLOUDAPI}/machines/list`, `cloudspaceId=${cs.id}`)) as {
                id: number;
                name: string;
              }[],
          ),
        );
        const trees = lists.some((l) => l.length > 0)
          ? await Promise.all(
              slices.map(
                async ([s, e]) =>
                  parseExact(
                    await call('GET', `${CLOUDAPI}/billing/calculate?accountId=${account.id}&start=${s}&end=${e}`),
                  ) as CalcTree,
              ),
            )
          : [];
        return {
          node: {
            name: account.name,
            cloudspaces: own.map((cs, i) => ({
              name: cs.name,
              machines: lists[i]!.map((m) => ({
                name: m.name,
                consumption: trees.flatMap((tree) => {
                  const c = tree.account.cloudspaces[String(cs.id)]?.machines[String(m.id)]?.consumption;
                  return c
                    ? Object.keys(c)
                        .sort(byMetric)
                        .map((metric) => ({ metric, quantity: c[metric]! }))
                    : [];
                }),
              })),
            })),
          },
        };
      }),
    );
    return { data: { accounts: { edges } } };
  };
}

async function startBaseline(
  sources: readonly SourceEntry[],
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const g8 = sources.find((s) => s.provider === 'OPENVCLOUD');
  if (!g8) throw new Error('baseline: the config has no OPENVCLOUD source');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const traversal = createTraversal(g8, agent);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, value: unknown) => {
        const body = JSON.stringify(value);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (req.method !== 'POST' || !req.url?.startsWith('/graphql'))
        return answer(404, { errors: [{ message: 'POST /graphql' }] });
      let body: { operationName?: string; variables?: Record<string, unknown> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return answer(400, { errors: [{ message: 'body is not JSON' }] });
      }
      if (body.operationName !== 'Traversal')
        return answer(400, {
          errors: [{ message: `baseline answers operationName "Traversal" only, got "${String(body.operationName)}"` }],
        });
      traversal((body.variables ?? {}) as Parameters<typeof traversal>[0]).then(
        (data) => answer(200, data),
        (error: unknown) =>
          answer(error instanceof HttpError ? error.status : 500, {
            errors: [{ message: error instanceof Error ? error.message : String(error) }],
          }),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

{
  const configPath = flag(process.argv, '--config');
  if (!configPath) {
    process.stderr.write('baseline: --config FILE is required (a billgraph config, e.g. from npm run simulators)\n');
    process.exit(2);
  }
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { sources: SourceEntry[] };
  const baseline = await startBaseline(config.sources, Number(flag(process.argv, '--port') ?? 0));
  process.stdout.write(`${JSON.stringify({ url: baseline.url })}\n`);
  const stop = () => void baseline.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
