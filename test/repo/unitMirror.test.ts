/**
 * The unit tier's rule (docs/testing.md): test/unit/ mirrors src/ path for path, so every module of
 * src/ with logic has its unit test at test/unit/<same path>.test.ts. A module is exempt only when
 * EXEMPT names it with the place it IS tested; an entry for a module that is gone or now has its
 * unit test fails, so the list cannot rot.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONTRACT = 'covered by the provider contract suite (test/contract/)';
const CLIENT = (name: string) =>
  `HTTP to the upstream: tested against its simulator in test/contract/ and test/gateway/providers/${name}/`;

/** Modules with logic that have no unit test, each with where it is tested instead. */
export const EXEMPT: Readonly<Record<string, string>> = {
  'src/main.ts': 'the entry: tested as a process in test/gateway/main/commandLine.test.ts',
  'src/start.ts': 'starts the gateway process: tested as a process in test/gateway/main/',
  'src/sync.ts':
    'the billgraph sync program (runs when imported): tested as a process in test/gateway/ledger/sync.test.ts; its command line in test/unit/ledger/syncCommandLine.test.ts',
  'src/exportFocus.ts':
    'the billgraph export focus program (runs when imported): tested as a process in test/gateway/export/exportCommand.test.ts; its command line in test/unit/export/focus/exportCommandLine.test.ts',
  'src/export/focus/focusExport.ts':
    'reads every source through the ledger-backed API: tested over HTTP against the simulators in test/gateway/export/focusExport.test.ts (conformance, money, refusals, disconnect)',
  'src/gateway/focusRoute.ts':
    'the GET /export/focus route: tested over HTTP in test/gateway/export/focusExport.test.ts (status, headers, trailers, tenants, a cut export)',
  'src/providers/civitai/client.ts': CLIENT('civitai'),
  'src/providers/hyperstack/client.ts': CLIENT('hyperstack'),
  'src/providers/killbill/client.ts': CLIENT('killbill'),
  'src/providers/openvcloud/client.ts': CLIENT('openvcloud'),
  'src/providers/theirstack/client.ts': CLIENT('theirstack'),
  // Being reworked; to be revisited.
  'src/providers/civitai/index.ts': CONTRACT,
  'src/providers/hyperstack/index.ts': CONTRACT,
  'src/providers/killbill/index.ts': CONTRACT,
  'src/providers/openvcloud/index.ts': CONTRACT,
  'src/providers/theirstack/index.ts': CONTRACT,
};

/** Every .ts module under src/, as a repository path, src/generated/ left out. */
function modules(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path).split('\\').join('/');
    if (entry.isDirectory()) return rel === 'src/generated' ? [] : modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

const isFunctionLike = (node: ts.Node): boolean =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node) ||
  ts.isClassDeclaration(node) ||
  ts.isClassExpression(node);

/** `new URL('./file', import.meta.url)`: where a file of the module's folder is, data rather than logic. */
const isSiblingUrl = (node: ts.Node): boolean =>
  ts.isNewExpression(node) &&
  node.expression.getText() === 'URL' &&
  node.arguments?.length === 2 &&
  ts.isStringLiteral(node.arguments[0]!) &&
  node.arguments[1]!.getText() === 'import.meta.url';

/**
 * Whether an expression computes something: a function body, a call or a construction anywhere in
 * it (a sibling file's URL aside).
 */
function computes(node: ts.Node): boolean {
  if (isSiblingUrl(node)) return false;
  if (isFunctionLike(node) || ts.isCallExpression(node) || ts.isNewExpression(node)) return true;
  if (ts.isTaggedTemplateExpression(node)) return true;
  return ts.forEachChild(node, (child) => (computes(child) ? true : undefined)) ?? false;
}

/**
 * Whether a module has logic: any statement other than imports, re-exports, type and interface
 * declarations and constants of plain data (literals, object and array literals, `as const`,
 * spreads of imported values, a sibling file's URL).
 */
export function hasLogic(source: string, fileName = 'module.ts'): boolean {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return file.statements.some((statement) => {
    if (
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isEmptyStatement(statement)
    ) {
      return false;
    }
    if (ts.isExportDeclaration(statement)) return false;
    if (ts.isExportAssignment(statement)) return computes(statement.expression);
    if (ts.isModuleDeclaration(statement)) return false;
    if (ts.isEnumDeclaration(statement)) return false;
    if (ts.isVariableStatement(statement)) {
      if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return false;
      return statement.declarationList.declarations.some((d) => d.initializer !== undefined && computes(d.initializer));
    }
    if (ts.isFunctionDeclaration(statement)) return statement.body !== undefined;
    return true;
  });
}

const unitTestOf = (module: string) => `test/unit/${module.slice('src/'.length).replace(/\.ts$/, '.test.ts')}`;

const all = modules();
const withLogic = all.filter((m) => hasLogic(readFileSync(join(ROOT, m), 'utf8'), m));
const tested = withLogic.filter((m) => existsSync(join(ROOT, unitTestOf(m))));

describe('hasLogic', () => {
  it('finds no logic in imports, re-exports, types and constants of plain data', () => {
    const source = [
      "import { a } from './a.js';",
      "export { b } from './b.js';",
      "export * from './c.js';",
      'export type T = { x: number };',
      'export interface I { y: string }',
      "export const DATA = { a: 1, b: ['x', 'y'], c: -2, ...a } as const;",
      'export const HOUR_MS = 3_600_000;',
      "export const part = { sdl: [new URL('./schema.graphql', import.meta.url)], resolvers: { a } };",
    ].join('\n');
    expect(hasLogic(source)).toBe(false);
  });

  it('finds logic in a function, an arrow function, a class, a call and a top-level statement', () => {
    expect(hasLogic('export function f() { return 1; }')).toBe(true);
    expect(hasLogic('export const f = () => 1;')).toBe(true);
    expect(hasLogic('export const r = { field: (x: number) => x };')).toBe(true);
    expect(hasLogic('export class C {}')).toBe(true);
    expect(hasLogic("export const ROOT = fileURLToPath(new URL('.', import.meta.url));")).toBe(true);
    expect(hasLogic("console.log('side effect');")).toBe(true);
  });

  it('finds no logic in a function declaration without a body (an overload signature only)', () => {
    expect(hasLogic('export declare function f(): void;')).toBe(false);
  });
});

describe('the unit tier mirrors src/', () => {
  it('lists modules to check', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all).toContain('src/main.ts');
    expect(all.some((m) => m.startsWith('src/generated/'))).toBe(false);
  });

  it('has a unit test at the mirrored path for every module with logic that EXEMPT does not name', () => {
    const missing = withLogic
      .filter((m) => !tested.includes(m) && !(m in EXEMPT))
      .map((m) => `${m} → ${unitTestOf(m)}`);
    expect(missing).toEqual([]);
  });

  it('names in EXEMPT only modules that exist, have logic and have no unit test yet', () => {
    const rotten = Object.keys(EXEMPT).flatMap((m) => {
      if (!all.includes(m)) return [`${m}: no such module`];
      if (!withLogic.includes(m)) return [`${m}: has no logic, needs no exemption`];
      if (tested.includes(m)) return [`${m}: has ${unitTestOf(m)} now; drop the exemption`];
      return [];
    });
    expect(rotten).toEqual([]);
  });

  it('gives every exemption a reason that names where the module is tested', () => {
    for (const [module, reason] of Object.entries(EXEMPT)) {
      expect(reason, module).toMatch(/test\//);
    }
  });

  it('reports the ratio of modules with logic that have a unit test', () => {
    const ratio = `${tested.length}/${withLogic.length}`;
    console.log(
      `unit mirror: ${ratio} modules with logic have a unit test (${((100 * tested.length) / withLogic.length).toFixed(1)}%); ` +
        `${Object.keys(EXEMPT).length} exempt, ${all.length - withLogic.length} of ${all.length} modules without logic`,
    );
    expect(tested.length + Object.keys(EXEMPT).length).toBe(withLogic.length);
  });
});
