/**
 * Starts the built-in simulators without the gateway and prints a config file for them:
 *   npm run simulators > sims.json   (then, in another shell)   npm start -- --config sims.json
 */
import { startAllSimulators } from './bootstrap.js';

const sims = await startAllSimulators();
process.stdout.write(`${JSON.stringify(sims.config, null, 2)}\n`);
process.stderr.write(`Simulators running:\n${sims.started.map((s) => `  ${s.source.provider.padEnd(11)} ${s.handle.url}`).join('\n')}\nCtrl-C to stop.\n`);
const stop = () => void sims.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
