import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerBusyError, lockFolder } from '../../../src/ledger/folderLock.js';

/** No process has this pid (the kernel's default pid_max is far below it). */
const GONE_PID = 2147483646;

describe('lockFolder', () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'billgraph-lock-'));
    dataDir = join(root, 'nested', 'ledger');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("takes the lock: <dataDir>.lock holds this process's pid (its folder created), and the release removes it", () => {
    const release = lockFolder(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('refuses a folder another live process holds, naming it', () => {
    lockFolder(dataDir);
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    let error: unknown;
    try {
      lockFolder(dataDir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerBusyError);
    expect(error).toMatchObject({ name: 'LedgerBusyError', dataDir, pid: process.ppid });
    expect((error as Error).message).toContain(`open in process ${process.ppid}`);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that is gone, or one that holds no pid', () => {
    mkdirSync(join(root, 'nested'));
    writeFileSync(`${dataDir}.lock`, String(GONE_PID));
    lockFolder(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    writeFileSync(`${dataDir}.lock`, 'not a pid');
    const release = lockFolder(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes again a lock this process holds already (its own pid)', () => {
    lockFolder(dataDir);
    expect(() => lockFolder(dataDir)).not.toThrow();
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
  });
});
