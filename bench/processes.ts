/**
 * Child processes of the bench: started, awaited until they announce themselves on stdout,
 * bounded in time, and always stopped (SIGTERM, then SIGKILL) — on success, on failure and when
 * the runner itself exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export interface Child<T> {
  readonly name: string;
  readonly pid: number;
  /** What the ready callback returned for the announcing line. */
  readonly ready: T;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  tail(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every child still running, synchronously (for process 'exit'). */
export function killAllChildren(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}
process.once('exit', killAllChildren);

export interface SpawnOptions<T> {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called for every stdout line until it returns something other than undefined. */
  ready: (line: string) => T | undefined;
  /** @default 60000 */
  readyTimeoutMs?: number;
}

export function spawnChild<T>(opts: SpawnOptions<T>): Promise<Child<T>> {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  const tail = () => lines.join('\n');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  };

  return new Promise<Child<T>>((resolve, reject) => {
    let announced = false;
    let pending = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${opts.name} did not start within ${opts.readyTimeoutMs ?? 60_000} ms:\n${tail()}`));
    }, opts.readyTimeoutMs ?? 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) remember(`[stderr] ${line.slice(0, 400)}`);
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        remember(line.slice(0, 400));
        if (announced) continue;
        let value: T | undefined;
        try {
          value = opts.ready(line);
        } catch {
          value = undefined;
        }
        if (value !== undefined) {
          announced = true;
          clearTimeout(timer);
          resolve({ name: opts.name, pid: child.pid!, ready: value, tail, stop });
        }
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} could not be started: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!announced) reject(new Error(`${opts.name} exited (${signal ?? code}) before it was ready:\n${tail()}`));
    });
  });
}

/** CPU time (user + system) of a process so far, in milliseconds, from /proc/<pid>/stat. */
export function cpuMs(pid: number, clockTicksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicksPerSecond;
}

/** A field of /proc/<pid>/status in kB (e.g. VmHWM, the peak resident set), as MB. */
export function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0, own processes): true when it worked. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
