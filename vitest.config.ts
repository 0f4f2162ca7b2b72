import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * One project per folder of test/, by audience (docs/testing.md):
 *   unit        test/unit/, path for path the module of src/ it tests; no simulator, no child process: seconds.
 *   contract    test/contract/, the provider contract suite every registered provider passes.
 *   simulators  test/simulators/, the simulators against the upstreams' published shapes and their own clients.
 *   gateway     test/gateway/, billgraph over HTTP with real simulators, child processes included.
 *   repo        test/repo/, the repository's own rules: codegen current, import rules, lint, the bench smoke run.
 *   browser     test/browser/, headless Chromium against the gateway (GraphiQL, the dashboard).
 */
const PROJECTS = ['unit', 'contract', 'simulators', 'gateway', 'repo', 'browser'] as const;
/** Projects that read the built dashboard: the setup builds it when stale (and installs Chromium for the browser). */
const NEEDS_WEB = new Set<string>(['gateway', 'repo', 'browser']);
/** Projects that start gateway processes: each child copies one embedded ledger made once per run. */
const STARTS_PROCESSES = new Set<string>(['gateway', 'repo']);

export default defineConfig({
  resolve: {
    // graphql ships ESM (index.mjs, via "module") and CJS (index.js, via "main"). Vite picks the
    // ESM build for our sources while Node loads the CJS build for @apollo/server and
    // @graphql-tools, and graphql refuses objects from "another realm". Use the one Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // Simulators and gateways bind loopback ports; files run in parallel forks, tests inside a file in order.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { BILLGRAPH_LOG: 'silent' },
    // `npm test` runs them all; `npm run test:unit` (vitest run --project unit) one tier.
    projects: PROJECTS.map((name) => ({
      extends: true,
      test: {
        name,
        include: [`test/${name}/**/*.test.ts`],
        globalSetup: [
          ...(NEEDS_WEB.has(name) ? ['test/browser/globalSetup.ts'] : []),
          ...(STARTS_PROCESSES.has(name) ? ['test/helpers/ledgerTemplate.ts'] : []),
        ],
      },
    })),
  },
});
