import { openLedger } from '../../../src/ledger/openLedger.js';
import { describeLedgerStore } from '../../helpers/ledgerStoreSpec.js';

describeLedgerStore('the embedded engine (PGlite, in memory)', async () => ({
  ledger: await openLedger({ kind: 'memory' }),
  stop: async () => {},
}));
