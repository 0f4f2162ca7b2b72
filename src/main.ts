/**
 * The entry of `npm start` and `node dist/main.js`: first checks that this Node is new enough (package.json
 * "engines"), before any dependency loads — on an older Node undici dies at import with a stack trace that says
 * nothing about Node — then loads the gateway program (src/start.ts). Imports nothing else, statically.
 */
import { readFileSync } from 'node:fs';
import { checkNodeVersion } from './lib/nodeVersion.js';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};
const problem = checkNodeVersion(process.versions.node, engines.node);
if (problem) {
  process.stderr.write(`billgraph: ${problem}\n`);
  process.exit(2);
}
// `billgraph sync …` backfills the ledger (src/sync.ts), `billgraph export focus …` writes the FOCUS
// export (src/exportFocus.ts); anything else is the gateway.
const command = process.argv[2];
await (command === 'sync'
  ? import('./sync.js')
  : command === 'export'
    ? import('./exportFocus.js')
    : import('./start.js'));
