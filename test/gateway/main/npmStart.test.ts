/**
 * `npm start` as a supervisor or a container's `CMD ["npm", "start"]` runs it: SIGTERM goes to the
 * npm process, and must reach the gateway (npm forwards it to its one child, so the script `exec`s
 * a single node process instead of sh → tsx → node, where the signal stopped at sh and left the
 * gateway running). And NODE_ENV=production without a config file refuses to start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OPENVCLOUD_ROUTES,
  OPENVCLOUD_SIM_TOKEN,
  startOpenvcloudSimulator,
  type OpenvcloudSimulator,
} from '../../../simulators/openvcloud/simulator.js';
import { postGraphQL } from '../../helpers/harness.js';
import { isRunning, killStarted, probe, processTree, RUNNING, startProcess } from '../../helpers/process.js';

let dir: string;
let g8: OpenvcloudSimulator;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'billgraph-npm-start-'));
  g8 = await startOpenvcloudSimulator();
});
/** The process tree of the `npm start` under test, SIGKILLed afterwards should any of it outlive npm. */
let tree: number[] = [];
afterEach(() => {
  killStarted();
  for (const pid of tree.filter(isRunning)) process.kill(pid, 'SIGKILL');
  tree = [];
});
afterAll(async () => {
  killStarted();
  await g8?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves when `condition` holds, checked on every request the simulator records. */
async function untilRequested(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('npm start', () => {
  it('forwards SIGTERM to the gateway: the in-flight query finishes with 200, everything exits 0, the port closes', async () => {
    const config = join(dir, 'g8.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: [
          // An attempt may take the simulator's whole latency below.
          {
            id: 'g8',
            provider: 'OPENVCLOUD',
            baseUrl: g8.url,
            credentials: { token: OPENVCLOUD_SIM_TOKEN },
            timeoutMs: 9000,
          },
        ],
      }),
    );
    const npm = startProcess('npm', ['start', '--', '--config', config], { PORT: '0' });
    const [, url, port] = await npm.waitForStdout(RUNNING, 40_000);
    // npm and everything under it (with the old `tsx src/main.ts`: sh → tsx → node).
    tree = processTree(npm.child.pid!);

    g8.resetCounters();
    // Long enough that the query is certainly still in flight when the signal arrives (checked below).
    g8.setLatency(5000);
    try {
      let settled = false;
      const inFlight = postGraphQL(url!, '{ accounts { totalCount edges { node { name } } } }').finally(() => {
        settled = true;
      });
      await untilRequested(
        () => g8.count({ route: OPENVCLOUD_ROUTES.listAccounts }) >= 1,
        10_000,
        'the query to reach the simulator',
      );
      expect(npm.child.kill('SIGTERM')).toBe(true);
      expect(settled).toBe(false);

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.accounts.totalCount).toBe(g8.data.accounts.length);

      // (With a gateway left behind, npm's stdout stays open in it and this times out.)
      const exit = await npm.waitForExit(20_000);
      expect(exit, npm.stderr()).toMatchObject({ code: 0, signal: null });
      expect(tree.filter(isRunning), 'processes left running').toEqual([]);
      expect(await probe(`http://127.0.0.1:${port}/healthz`)).toEqual({ error: 'ECONNREFUSED' });
    } finally {
      g8.setLatency(0);
    }
  }, 90_000);

  it('names the embedded simulators a demo in its banner', async () => {
    const npm = startProcess('npm', ['start'], { PORT: '0' });
    await npm.waitForStdout(RUNNING, 40_000);
    expect(npm.stdout()).toMatch(
      /^DEMO: no config file, so billgraph serves made-up data from its built-in simulators/m,
    );
    expect(npm.stdout()).toContain('--config FILE');
    expect(npm.child.kill('SIGTERM')).toBe(true);
    expect(await npm.waitForExit(20_000)).toMatchObject({ code: 0, signal: null });
  }, 90_000);
});

describe('NODE_ENV=production', () => {
  it('without a config file exits 2, saying how to give one, and starts no demo', async () => {
    const gw = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      NODE_ENV: 'production',
      PORT: '0',
    });
    const exit = await gw.waitForExit(20_000);
    expect(exit.code, gw.stderr()).toBe(2);
    expect(gw.stderr()).toBe(
      'billgraph: no configuration file: with NODE_ENV=production billgraph does not start its built-in demo simulators. ' +
        'Name the file with --config FILE (e.g. node dist/main.js --config billgraph.json) or BILLGRAPH_CONFIG=FILE.\n',
    );
    expect(gw.stdout()).not.toContain('running at');
  });

  it('with BILLGRAPH_CONFIG starts from that file, not the demo', async () => {
    const config = join(dir, 'prod.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: [{ id: 'g8', provider: 'OPENVCLOUD', baseUrl: g8.url, credentials: { token: OPENVCLOUD_SIM_TOKEN } }],
      }),
    );
    const gw = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      NODE_ENV: 'production',
      BILLGRAPH_CONFIG: config,
      PORT: '0',
    });
    await gw.waitForStdout(RUNNING);
    expect(gw.stdout()).toContain(`Sources: g8 (OPENVCLOUD) from ${config}`);
    expect(gw.stdout()).not.toContain('DEMO');
    gw.child.kill('SIGTERM');
    expect(await gw.waitForExit()).toMatchObject({ code: 0, signal: null });
  });
});
