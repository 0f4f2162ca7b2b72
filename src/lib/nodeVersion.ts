/**
 * Whether this Node can run billgraph, checked by src/main.ts before anything else loads: on an older Node a
 * dependency (undici) dies at import with a stack trace that names neither Node nor the version needed.
 * Pure and dependency-free on purpose: it must load on any Node.
 */

/** `found` ("20.20.2", process.versions.node) against `required`, package.json's engines.node (">=24", ">=24.1.0"). */
export function checkNodeVersion(found: string, required: string): string | null {
  const need = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(required);
  if (!need) throw new Error(`checkNodeVersion: cannot read the range "${required}" (only ">=MAJOR[.MINOR[.PATCH]]")`);
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(found);
  if (!have) throw new Error(`checkNodeVersion: cannot read the version "${found}"`);
  const wanted = [need[1], need[2], need[3]].map((part) => Number(part ?? 0));
  const actual = [have[1], have[2], have[3]].map(Number);
  for (let i = 0; i < 3; i++) {
    if (actual[i]! > wanted[i]!) return null;
    if (actual[i]! < wanted[i]!)
      return (
        `needs Node ${required.trim()} (package.json "engines"), but this is Node ${found}: ` +
        'run it with a newer node (the npm scripts use the one npm ci installs, node_modules/.bin/node)'
      );
  }
  return null;
}
