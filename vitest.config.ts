import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships ESM (index.mjs, via "module") and CJS (index.js, via "main"). Vite picks the
    // ESM build for our sources while Node loads the CJS build for @apollo/server and
    // @graphql-tools, and graphql refuses objects from "another realm". Use the one Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Installs chromium when missing and builds the dashboard when stale (browser tests in test/web/).
    globalSetup: ['test/web/globalSetup.ts'],
    // Simulators and gateways bind loopback ports; files run in parallel forks, tests inside a file in order.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { BILLGRAPH_LOG: 'silent' },
  },
});
