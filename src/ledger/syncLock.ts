/**
 * One sync at a time per ledger. A shared (PostgreSQL) ledger takes a session advisory lock on a
 * connection of its own, so replicas and `billgraph sync` runs take turns; an embedded ledger is
 * one process's already (folderLock.ts).
 */
import { sql } from 'kysely';
import type { Ledger } from './openLedger.js';

/** The advisory lock's key: any fixed 64-bit number; this one spells "billgraph sync". */
const SYNC_LOCK_KEY = 7_149_263_411_208_003n;

/**
 * Runs `work` holding the ledger's sync lock. `wait`: queue behind another holder; otherwise
 * answer 'busy' at once when one holds it.
 */
export async function withSyncLock<T>(ledger: Ledger, wait: boolean, work: () => Promise<T>): Promise<T | 'busy'> {
  if (ledger.engine !== 'postgres') return work();
  return ledger.db.connection().execute(async (conn) => {
    if (wait) await sql`select pg_advisory_lock(${SYNC_LOCK_KEY.toString()}::bigint)`.execute(conn);
    else {
      const got = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${SYNC_LOCK_KEY.toString()}::bigint) as locked`.execute(conn);
      if (!got.rows[0]?.locked) return 'busy' as const;
    }
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${SYNC_LOCK_KEY.toString()}::bigint)`.execute(conn);
    }
  });
}
