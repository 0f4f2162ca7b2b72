/**
 * A throwaway PostgreSQL cluster for the shared-ledger tests: Debian's server (installed by
 * scripts/ensure-postgres.sh when missing), initdb'd in a temporary folder and started on a free
 * loopback port, as the `postgres` user when the tests run as root (PostgreSQL refuses root).
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT } from './process.js';

const run = promisify(execFile);

export interface TestPostgres {
  /** postgres://billgraph@127.0.0.1:<port>/postgres, no password (trust on loopback). */
  readonly url: string;
  stop(): Promise<void>;
}

/** Runs a PostgreSQL binary, as `postgres` when this process is root. */
async function asOwner(bin: string, args: readonly string[]): Promise<void> {
  const root = process.getuid?.() === 0;
  await (root ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, [...args]));
}

export async function startPostgres(): Promise<TestPostgres> {
  const { stdout } = await run('bash', [join(ROOT, 'scripts/ensure-postgres.sh')]);
  const bin = stdout.trim().split('\n').pop()!;
  const dir = mkdtempSync(join(tmpdir(), 'billgraph-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(uid), Number(gid));
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  await asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'billgraph', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  await asOwner(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  return {
    url: `postgres://billgraph@127.0.0.1:${port}/postgres`,
    async stop() {
      await asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
