/**
 * One process per embedded ledger folder: PGlite is a single-user PostgreSQL, and two processes
 * writing one folder would corrupt it. A lock file beside the folder holds the owner's pid; a lock
 * whose process is gone is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The folder is in use by another live process. */
export class LedgerBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded ledger in ${dataDir} is open in process ${pid} (a running billgraph?). Stop that process, ` +
        `let its own background sync do the work (ledger.syncIntervalSeconds), or share a PostgreSQL ledger (ledger.url).`,
    );
    this.name = 'LedgerBusyError';
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the lock of `dataDir` (the file `<dataDir>.lock`); returns its release. */
export function lockFolder(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new LedgerBusyError(dataDir, pid);
      // Left by a process that is gone (or unreadable): take it over.
      rmSync(path, { force: true });
    }
  }
  throw new LedgerBusyError(dataDir, -1);
}
