/**
 * Regenerates everything derived from schema/*.graphql:
 *   generated/schema.graphql, generated/introspection.json  (for other consumers)
 *   src/generated/resolvers.ts                               (resolver types, from codegen.yml)
 *   web/src/gql/*                                            (the dashboard's client types, from codegen.yml
 *                                                             and the .graphql files under web/src; client preset)
 * `npm run codegen` writes them; `--check` exits 1 listing the stale ones (CI and a test use it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { introspectionFromSchema, printSchema } from 'graphql';
import { buildSchemaFromSdl } from '../src/schema/sdl.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every generated file, path relative to the project root → content. */
export async function renderGenerated(): Promise<Map<string, string>> {
  const schema = buildSchemaFromSdl();
  const out = new Map<string, string>();
  // printSchema omits the schema block when root names are conventional; consumers that
  // re-merge SDL would then promote `Subscription`, so it is always written out.
  let printed = printSchema(schema);
  if (!printed.includes('schema {')) printed = `schema {\n  query: Query\n  mutation: Mutation\n}\n\n${printed}`;
  out.set('generated/schema.graphql', `${printed}\n`);
  const introspection = `${JSON.stringify(introspectionFromSchema(schema, { descriptions: true }), null, 2)}\n`;
  out.set('generated/introspection.json', introspection);

  const tmp = mkdtempSync(join(tmpdir(), 'billgraph-codegen-'));
  try {
    const introspectionPath = join(tmp, 'introspection.json');
    writeFileSync(introspectionPath, introspection);
    const { config } = await loadCodegenConfig({ configFilePath: join(ROOT, 'codegen.yml') });
    // generate() is typed `any`; with `false` (no writing) it returns the files it made.
    const files = (await generate({ ...config, cwd: ROOT, schema: introspectionPath, silent: true, verbose: false }, false)) as { filename: string; content: string }[];
    for (const file of files) out.set(file.filename.replace(/^\.\//, ''), file.content);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** Paths whose checked-in content differs from a fresh render. */
export async function staleGenerated(): Promise<string[]> {
  const rendered = await renderGenerated();
  return [...rendered].filter(([path, content]) => {
    try {
      return readFileSync(join(ROOT, path), 'utf8') !== content;
    } catch {
      return true;
    }
  }).map(([path]) => path);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = await staleGenerated();
    if (stale.length) {
      console.error(`Generated files are stale; run \`npm run codegen\`:\n${stale.map((p) => `  - ${p}`).join('\n')}`);
      process.exit(1);
    }
    console.log('Generated files are current.');
  } else {
    for (const [path, content] of await renderGenerated()) {
      mkdirSync(dirname(join(ROOT, path)), { recursive: true });
      writeFileSync(join(ROOT, path), content);
      console.log(`wrote ${path}`);
    }
  }
}
