import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Pure modules: no server, no simulator, no child process. `npm run test:unit` runs them alone in seconds. */
const UNIT = [
  'test/lib/**/*.test.ts',
  'test/schema/**/*.test.ts',
  'test/cache/lruStore.test.ts',
  'test/config.test.ts',
  'test/configSchema.test.ts',
  'test/context.test.ts',
  'test/logger.test.ts',
  'test/security/costRateLimiter.test.ts',
  'test/security/operatorAuth.test.ts',
  'test/providers/bucketPoint.test.ts',
  'test/providers/jsonNumbers.test.ts',
  'test/providers/answerCheck.test.ts',
  'test/providers/registry.test.ts',
  'test/providers/killbill/config.test.ts',
  'test/providers/killbill/mapping.test.ts',
  'test/providers/hyperstack/mapping.test.ts',
  'test/providers/civitai/mapping.test.ts',
  'test/providers/theirstack/mapping.test.ts',
  'test/providers/openvcloud/mapping.test.ts',
  'test/observability/boundedLabel.test.ts',
  'test/observability/metrics.test.ts',
  'test/observability/observedRateLimiter.test.ts',
  'test/providers/loader.test.ts',
  'test/providers/resilience.test.ts',
  'test/providers/rateLimitPause.test.ts',
];
/** Headless Chromium against the gateway (GraphiQL, the dashboard). */
const BROWSER = ['test/web/**/*.test.ts'];

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
    // `npm test` runs all three; `vitest run --project unit` (npm run test:unit) one tier.
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        // Real simulators and gateways over HTTP, child processes, the bench smoke run.
        test: {
          name: 'gateway',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...BROWSER],
          // Some gateway tests read the built dashboard; the setup builds it when stale.
          globalSetup: ['test/web/globalSetup.ts'],
        },
      },
      {
        extends: true,
        // Installs chromium when missing and builds the dashboard when stale.
        test: { name: 'browser', include: BROWSER, globalSetup: ['test/web/globalSetup.ts'] },
      },
    ],
  },
});
