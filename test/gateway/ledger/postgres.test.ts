/**
 * The shared ledger: the same store checks as the embedded one, on a real PostgreSQL cluster that
 * test/helpers/postgres.ts initdb's and starts on a free loopback port for this file.
 */
import { openLedger } from '../../../src/ledger/openLedger.js';
import { describeLedgerStore } from '../../helpers/ledgerStoreSpec.js';
import { startPostgres } from '../../helpers/postgres.js';

describeLedgerStore('a shared PostgreSQL', async () => {
  const postgres = await startPostgres();
  const ledger = await openLedger({ kind: 'postgres', url: postgres.url });
  return { ledger, stop: () => postgres.stop() };
});
