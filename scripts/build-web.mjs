// Builds the dashboard and GraphiQL 5 (web/) with Vite into web/dist, which billgraph serves at /dashboard and /.
// Runs from `npm ci` (prepare), `npm start` (prestart, with --if-stale) and the test setup.
//   node scripts/build-web.mjs             build
//   node scripts/build-web.mjs --if-stale  build only when web/dist is missing or older than its sources
// Plain JavaScript so it runs before anything is compiled; skips (exit 0) on a production install without Vite.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');
const BUILT = join(WEB, 'dist', 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function dashboardIsStale() {
  if (!existsSync(BUILT)) return true;
  const inputs = [
    join(WEB, 'src'),
    join(WEB, 'index.html'),
    join(WEB, 'graphiql.html'),
    join(WEB, 'vite.config.ts'),
    // The provider names the dashboard shows (generated from the registry).
    join(ROOT, 'src', 'generated', 'providers.ts'),
    join(ROOT, 'package-lock.json'),
  ].filter(existsSync);
  const built = statSync(BUILT).mtimeMs;
  return inputs.some((p) => newestMtime(p) > built);
}

export async function buildDashboard() {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    console.warn('build-web: vite is not installed (production install?); the dashboard at /dashboard is not built.');
    return false;
  }
  // Always React's production build: Vite would follow an inherited NODE_ENV (vitest sets "test"),
  // and the development build is larger and logs to the console.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && !dashboardIsStale()) process.exit(0);
  const started = Date.now();
  if (await buildDashboard())
    console.log(`build-web: dashboard and GraphiQL built into web/dist in ${Date.now() - started} ms`);
}
