// Import rules of billgraph (docs/architecture.md). `npm run lint:deps` and
// test/repo/architecture.test.ts run them; an `error` fails both.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-production-to-simulators',
      severity: 'error',
      comment:
        'Simulators, seeds and the simulator kit (simulators/, outside src/) are test and demo code: production never ' +
        'imports them, statically or dynamically. src/start.ts loads the demo by a computed specifier the build cannot ' +
        'follow (EmbeddedDemo in src/bootstrap.ts).',
      from: { path: '^src/' },
      to: { path: '^simulators/' },
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
      name: 'opentelemetry-only-in-tracing',
      severity: 'error',
      comment:
        'With tracing off no OpenTelemetry code may load: only src/observability/tracing.ts imports it ' +
        '(types excepted), and tracing.ts itself is loaded only dynamically (next rule).',
      from: { path: '^src/', pathNot: '^src/observability/tracing\\.ts$' },
      to: { path: '@opentelemetry/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'tracing-loaded-dynamically',
      severity: 'error',
      comment: 'startTracing imports tracing.ts with import() only when an exporter is configured.',
      from: { path: '^src/' },
      to: { path: '^src/observability/tracing\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'lib-imports-only-lib',
      severity: 'error',
      comment:
        'src/lib/ is the bottom layer: pure helpers any module may use. At run time it imports nothing from src/ ' +
        'outside lib (types excepted), so lib never drags the gateway in and can never close a cycle.',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'gateway-parts-not-to-server',
      severity: 'error',
      comment:
        'src/server.ts wires the parts of src/gateway/ together (createGateway); a part importing it back ' +
        'would turn the wiring into a knot. Parts import each other or the modules below them.',
      from: { path: '^src/gateway/' },
      to: { path: '^src/server\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No run-time import cycle: a module of a cycle can run before the one it imports has finished loading. ' +
        'Cycles made only of type-only imports are erased by TypeScript and allowed (viaOnly).',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
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
