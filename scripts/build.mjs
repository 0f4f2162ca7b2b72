// `npm run build`: the production build, run as `node dist/main.js --config FILE`.
//   1. tsc -p tsconfig.build.json into the output folder (emptied first, so no stale module survives);
//   2. every file under src/ that is not TypeScript (SDL files kept next to
//      the code that loads them, …) copied to the same relative path, since code reads those files
//      relative to its own module (new URL('./…', import.meta.url));
//   3. the dashboard and GraphiQL (web/dist) when stale, which the gateway serves at /dashboard and /.
// What else the built output reads at run time, from the project root: package.json ("type": "module"),
// node_modules/ (production dependencies), schema/*.graphql and web/dist/ (README, Production start).
// Options: USAGE below, parsed by src/lib/cli.ts (node:util parseArgs; Node 24 loads the .ts file as it is).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLineOrExit } from '../src/lib/cli.ts';
import { buildDashboard, dashboardIsStale } from './build-web.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const require = createRequire(import.meta.url);

/** Files tsc compiles (or only type-checks): everything else under src/ is an asset. */
const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

/** Paths under `dir` (relative to it) of the files that are not TypeScript, sorted. */
export function assetFiles(dir = SRC) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !TYPESCRIPT.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const USAGE = `Usage: npm run build [-- --outDir DIR]        (or node scripts/build.mjs [--outDir DIR])

The production build, run as node dist/main.js --config FILE: tsc into DIR (emptied first), every
non-TypeScript file under src/ copied to the same path, and the dashboard (web/dist) when stale.

Options:
  --outDir DIR   the output folder, emptied first (default dist/ in the project; a test builds into a
                 temporary folder)
  -h, --help     print this and exit
`;

export function build(outDir) {
  // Emptying the project, src/ or a folder holding them would be a disaster; refuse.
  const rel = relative(outDir, ROOT);
  if (rel === '' || !rel.startsWith('..') || outDir === SRC || outDir.startsWith(SRC + sep))
    throw new Error(`build: refusing to empty ${outDir} (it holds the project or its sources)`);
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  const assets = assetFiles();
  for (const file of assets) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    copyFileSync(join(SRC, file), join(outDir, file));
  }
  return assets;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const values = commandLineOrExit('build', process.argv.slice(2), { outDir: { type: 'string' } }, USAGE);
  if (values.outDir === '') {
    process.stderr.write(`build: --outDir needs a folder, e.g. --outDir dist\n\n${USAGE}`);
    process.exit(2);
  }
  const outDir = values.outDir === undefined ? join(ROOT, 'dist') : resolve(values.outDir);
  const started = Date.now();
  const assets = build(outDir);
  if (dashboardIsStale()) await buildDashboard();
  console.log(
    `build: ${relative(ROOT, outDir) || outDir} in ${Date.now() - started} ms (${assets.length} asset file(s) copied from src/)`,
  );
}
