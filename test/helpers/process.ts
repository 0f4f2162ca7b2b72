/**
 * Child processes of the gateway for tests: `npm start`, the built `dist/main.js`, `node --import tsx`.
 * Output is collected; waits are on the process's own output and exit, never on a fixed delay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { inject } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The line src/main.ts prints once it listens (and its signal handlers are in place). */
export const RUNNING = /billgraph is running at (http:\/\/[^\s]+:(\d+)\/graphql)/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process exited. */
  at: number;
}

export interface TestProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output is closed. */
  readonly exited: Promise<Exit>;
  /** The exit, or a rejection naming the output when it takes longer than `ms`. */
  waitForExit(ms?: number): Promise<Exit>;
  /** The first match of `pattern` on stdout; rejects on timeout or when the process exits first. */
  waitForStdout(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

const children = new Set<ChildProcess>();

/** SIGKILLs every process this module started that is still running (for afterEach). */
export function killStarted(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/** The environment of a child: ours without what would change its config or load vitest's hooks. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, BILLGRAPH_LOG: 'silent' };
  delete out.BILLGRAPH_CONFIG;
  delete out.PORT;
  delete out.NODE_ENV;
  delete out.NODE_OPTIONS; // vitest's own loader flags must not reach the child
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

export function startProcess(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  cwd = ROOT,
): TestProcess {
  // Each child keeps its embedded ledger in a folder of its own, removed when it exits: two
  // processes on one PGlite folder would corrupt it, and the repository stays clean.
  const dataDir = env.BILLGRAPH_DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'billgraph-data-')) : undefined;
  // A ready-made empty ledger where the project provides one (test/helpers/ledgerTemplate.ts).
  const template = inject('ledgerTemplate') as string | undefined;
  if (dataDir && template) cpSync(template, join(dataDir, 'ledger'), { recursive: true });
  const child = spawn(command, args, {
    cwd,
    env: childEnv(dataDir ? { BILLGRAPH_DATA_DIR: dataDir, ...env } : env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (dataDir) child.once('close', () => rmSync(dataDir, { recursive: true, force: true }));
  children.add(child);
  let out = '';
  let err = '';
  const outListeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const l of outListeners) l();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (error) => {
      err += `\n[spawn error] ${error.message}`;
      resolve({ code: null, signal: null, at: performance.now() });
    });
    child.once('close', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
  const describeOutput = () => `\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForExit(ms = 10_000) {
      let timer: NodeJS.Timeout;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`process did not exit within ${ms} ms${describeOutput()}`)), ms);
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
    waitForStdout(pattern, ms = 30_000) {
      return new Promise((resolve, reject) => {
        let finished = false;
        const timer = setTimeout(() => {
          done();
          reject(new Error(`stdout did not match ${pattern} within ${ms} ms${describeOutput()}`));
        }, ms);
        const done = () => {
          finished = true;
          clearTimeout(timer);
          outListeners.delete(check);
        };
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            done();
            resolve(m);
          }
        };
        outListeners.add(check);
        void exited.then((e) =>
          setImmediate(() => {
            if (finished) return;
            done();
            reject(
              new Error(
                `process exited (code ${e.code}, signal ${e.signal}) before stdout matched ${pattern}${describeOutput()}`,
              ),
            );
          }),
        );
        check();
      });
    },
  };
}

/** A port nothing listens on right now: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One request on a fresh connection (no keep-alive pool): status, or the connection error code. */
export function probe(url: string, timeoutMs = 2000): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** `pid` and all its descendants, from /proc (Linux), parents first. */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // exited meanwhile
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Whether a process with this pid is running (a zombie, exited but not yet reaped, is not). */
export function isRunning(pid: number): boolean {
  try {
    // /proc/PID/stat: "pid (comm) S ..."; the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
