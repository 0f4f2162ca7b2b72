import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchemaFromSdl, readSchemaFiles, SCHEMA_DIR } from '../../../src/schema/sdl.js';

const dir = mkdtempSync(join(tmpdir(), 'billgraph-sdl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder of SDL files, as a directory URL (trailing slash, as SCHEMA_DIR has). */
function folder(name: string, files: Record<string, string>): URL {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return pathToFileURL(`${path}/`);
}

describe('SCHEMA_DIR', () => {
  it('is the project’s schema/ folder, core.graphql first, holding no generated file (the Provider enum is built from the registry)', () => {
    const names = readSchemaFiles().map((f) => f.name);
    expect(SCHEMA_DIR.href.endsWith('/schema/')).toBe(true);
    expect(names[0]).toBe('core.graphql');
    expect(names.filter((name) => name.includes('generated'))).toEqual([]);
  });
});

describe('readSchemaFiles', () => {
  it('reads only .graphql files, core.graphql first and the rest by name', () => {
    const url = folder('order', {
      'zeta.graphql': 'type Z { z: Int }',
      'core.graphql': 'type Query { a: Int }',
      'alpha.graphql': 'type A { a: Int }',
      'notes.md': '# not SDL',
      'core.graphql.bak': 'nope',
    });
    expect(readSchemaFiles(url)).toEqual([
      { name: 'core.graphql', sdl: 'type Query { a: Int }' },
      { name: 'alpha.graphql', sdl: 'type A { a: Int }' },
      { name: 'zeta.graphql', sdl: 'type Z { z: Int }' },
    ]);
  });
});

describe('buildSchemaFromSdl', () => {
  it('merges the files into one schema, extensions included', () => {
    const schema = buildSchemaFromSdl([
      { name: 'core.graphql', sdl: 'type Query { hello: String }' },
      { name: 'more.graphql', sdl: 'extend type Query { count: Int }' },
    ]);
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(['hello', 'count']);
  });

  it('keeps a type named Subscription an ordinary type when the schema block names only query and mutation', () => {
    const schema = buildSchemaFromSdl([
      { name: 'core.graphql', sdl: 'schema { query: Query mutation: Mutation } type Query { s: Subscription }' },
      { name: 'more.graphql', sdl: 'type Mutation { m: Int } type Subscription { id: ID! }' },
    ]);
    expect(schema.getSubscriptionType()).toBeUndefined();
    expect(schema.getMutationType()?.name).toBe('Mutation');
    expect(schema.getType('Subscription')).toBeDefined();
  });

  it('refuses SDL that does not validate, naming the problem', () => {
    expect(() => buildSchemaFromSdl([{ name: 'core.graphql', sdl: 'type Query { a: Missing }' }])).toThrow(
      'Unknown type "Missing".',
    );
  });

  it('refuses SDL that does not parse', () => {
    expect(() => buildSchemaFromSdl([{ name: 'core.graphql', sdl: 'type Query {' }])).toThrow(/Syntax Error/);
  });
});
