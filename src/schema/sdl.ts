import { readdirSync, readFileSync } from 'node:fs';
import { buildASTSchema, concatAST, parse, type GraphQLSchema } from 'graphql';

/** schema/ at the project root; the same relative path from src/schema and dist/schema. */
export const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** One SDL document and where it came from (a path relative to the project root, for messages). */
export interface SdlFile {
  readonly name: string;
  readonly sdl: string;
}

/** The core's SDL files in a stable order (core first, then by name), so printed output never churns. */
export function readSchemaFiles(dir: URL = SCHEMA_DIR): SdlFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort((a, b) => (a === 'core.graphql' ? -1 : b === 'core.graphql' ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, sdl: readFileSync(new URL(name, dir), 'utf8') }));
}

/**
 * Builds the schema with graphql-js's own buildASTSchema rather than @graphql-tools/merge,
 * which promotes any type named `Subscription` to the subscription root (docs/schema-contract.md#subscription-trap).
 */
export function buildSchemaFromSdl(files: readonly SdlFile[]): GraphQLSchema {
  const document = concatAST(files.map(({ sdl }) => parse(sdl)));
  return buildASTSchema(document, { assumeValidSDL: false });
}
