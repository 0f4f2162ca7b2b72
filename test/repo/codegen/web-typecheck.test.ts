/**
 * The dashboard's operations are typed by codegen (client preset), so `npm run typecheck`
 * (which includes `tsc -p web`) catches a schema change that breaks the app. Checked here with
 * the TypeScript API: the app compiles against the checked-in types, and stops compiling when
 * the client types are regenerated from a schema where Money.amount is no longer a Decimal string.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Type errors of web/ (tsconfig web/tsconfig.json), with some files' content replaced. */
function typecheckWeb(overrides: Map<string, string> = new Map()): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'web/tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => overrides.get(resolve(file)) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = overrides.get(resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, lang) : getSourceFile(file, lang, onError, create);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.replace(`${ROOT}/`, '')}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe('web/ typecheck against the generated client types', () => {
  it('compiles against the checked-in types', () => {
    expect(typecheckWeb()).toEqual([]);
  }, 60_000);

  it('fails when the schema changes under the app', async () => {
    const sdl = readFileSync(join(ROOT, 'generated/schema.graphql'), 'utf8');
    const changed = sdl.replace(/(type Money \{[\s\S]*?amount: )Decimal!/, '$1Float!');
    expect(changed).not.toBe(sdl);
    const { config } = await loadCodegenConfig({ configFilePath: join(ROOT, 'codegen.yml') });
    const client = (config.generates as Record<string, unknown>)['web/src/gql/'];
    expect(client).toBeDefined();
    const files = await generate(
      { schema: changed, generates: { 'web/src/gql/': client as never }, cwd: ROOT, silent: true, verbose: false },
      false,
    );
    const overrides = new Map<string, string>(
      (files as { filename: string; content: string }[]).map((f) => [resolve(ROOT, f.filename), f.content]),
    );
    expect(overrides.get(resolve(ROOT, 'web/src/gql/graphql.ts'))).toMatch(/amount: number/);
    const errors = typecheckWeb(overrides);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/number.*string|string.*number/);
  }, 60_000);
});
