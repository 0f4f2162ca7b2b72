// Import rules of billgraph (docs/architecture.md). `npm run lint:deps` and
// test/architecture.test.ts run them; an `error` fails both.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-production-to-simulators',
      severity: 'error',
      comment:
        'Simulators, seeds and the simulator kit are not production code: --config mode must never load them. ' +
        'Only src/main.ts may reach them, and only through a dynamic import() (next rule).',
      from: { path: '^src/', pathNot: ['^src/simulators/', '^src/main\\.ts$'] },
      to: { path: '^src/simulators/' },
    },
    {
      name: 'main-loads-simulators-dynamically',
      severity: 'error',
      comment:
        'The embedded default starts the simulators on demand; a static import would load them in --config mode too.',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^src/simulators/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'no-provider-to-other-provider',
      severity: 'error',
      comment:
        'A provider folder is self-contained; what two providers share lives directly in src/providers/*.ts ' +
        'or in src/providers/transport/.',
      from: { path: '^src/providers/([^/]+)/', pathNot: '^src/providers/transport/' },
      to: { path: '^src/providers/[^/]+/', pathNot: '^src/providers/($1|transport)/' },
    },
    {
      name: 'schema-not-to-provider-folders',
      severity: 'error',
      comment:
        'The core schema never names a provider: it asks sources through src/providers/types.ts (SourceApi), and ' +
        "each provider's own types and fields arrive as its schema part (src/gatewaySchema.ts merges them).",
      from: { path: '^src/schema/' },
      to: { path: '^src/providers/[^/]+/', pathNot: '^src/providers/transport/' },
    },
    {
      // Without this an import the cruiser cannot resolve would silently escape every rule above.
      name: 'no-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type { HsKind } from './seed.js'` was how the seeds got in.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
