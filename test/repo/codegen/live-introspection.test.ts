/**
 * Code generation against the running server: graphql-codegen's URL loader introspects the
 * live gateway, and what it generates compiles and equals what is checked in. The introspection
 * served over HTTP documents every type, field, argument and enum value.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFromSchema, renderGenerated } from '../../../scripts/codegen.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The options graphql-js's introspectionFromSchema (which wrote generated/introspection.json) uses. */
const INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  experimentalDirectiveDeprecation: true,
  oneOf: true,
} as Parameters<typeof getIntrospectionQuery>[0]);
const TYPES_CONFIG = {
  enumsAsTypes: true,
  strictScalars: true,
  scalars: { DateTime: 'string', Date: 'string', Decimal: 'string' },
};

async function typescriptFrom(schema: string): Promise<string> {
  const [file] = await generate(
    {
      schema,
      silent: true,
      verbose: false,
      generates: { 'types.ts': { plugins: ['typescript'], config: TYPES_CONFIG } },
    },
    false,
  );
  return file!.content;
}

describe('codegen against the running server', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => h?.close());

  it('generates TypeScript types from the live endpoint that compile and equal those from generated/introspection.json', async () => {
    const live = await typescriptFrom(h.url);
    const checkedIn = await typescriptFrom(join(ROOT, 'generated/introspection.json'));
    expect(live).toContain('export type Query = {');
    expect(live).toContain('export type Account = Node & {');
    expect(live).toEqual(checkedIn);

    const dir = mkdtempSync(join(tmpdir(), 'billgraph-live-types-'));
    try {
      const file = join(dir, 'types.ts');
      // Use the generated types, so a wrong one is a compile error rather than dead code.
      writeFileSync(
        file,
        `${live}\nexport const probe: Pick<Money, 'amount' | 'currency'> = { amount: '1.50', currency: 'EUR' };\nexport const window_: TimeWindow = { start: 'a', end: 'b' };\n`,
      );
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        skipLibCheck: true,
        types: [],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
      // And the check can fail: a type that does not exist is reported.
      writeFileSync(file, `${live}\nexport const bad: Money = { amount: 1.5, currency: 'EUR' };\n`);
      const broken = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: true,
        types: [],
      });
      expect(ts.getPreEmitDiagnostics(broken).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('regenerates every codegen.yml output from the live endpoint exactly as checked in (resolvers and the dashboard client types)', async () => {
    const files = await generateFromSchema(h.url);
    const names = files.map((f) => f.filename).sort();
    expect(names).toEqual(expect.arrayContaining(['src/generated/resolvers.ts', 'web/src/gql/graphql.ts']));
    for (const file of files) {
      expect(file.content, file.filename).toEqual(readFileSync(join(ROOT, file.filename), 'utf8'));
    }
  }, 60_000);

  it('serves introspection equal to generated/introspection.json, with every type, field, argument and enum value documented', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: IntrospectionQuery; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const checkedIn = JSON.parse(readFileSync(join(ROOT, 'generated/introspection.json'), 'utf8'));
    expect(body.data).toEqual(checkedIn);

    const schema = body.data!.__schema;
    expect(schema.subscriptionType).toBeNull();
    const missing: string[] = [];
    const builtIn = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
    let checked = 0;
    for (const type of schema.types) {
      if (type.name.startsWith('__') || builtIn.has(type.name)) continue;
      checked++;
      if (!type.description?.trim()) missing.push(type.name);
      if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
        for (const field of type.fields) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args)
            if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (type.kind === 'INPUT_OBJECT')
        for (const field of type.inputFields)
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      if (type.kind === 'ENUM')
        for (const value of type.enumValues) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('puts the dashboard client types in renderGenerated, so `npm run codegen -- --check` covers them', async () => {
    const rendered = await renderGenerated();
    expect([...rendered.keys()]).toEqual(
      expect.arrayContaining(['web/src/gql/graphql.ts', 'web/src/gql/gql.ts', 'web/src/gql/index.ts']),
    );
    expect(rendered.get('web/src/gql/graphql.ts')).toContain('export const DashboardReportDocument');
    expect(rendered.get('web/src/gql/graphql.ts')).toEqual(readFileSync(join(ROOT, 'web/src/gql/graphql.ts'), 'utf8'));
  }, 60_000);
});
