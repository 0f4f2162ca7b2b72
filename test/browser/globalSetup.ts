/**
 * Vitest global setup: what the browser tests need and a fresh clone may lack — Debian's
 * chromium (scripts/ensure-chromium.sh, a no-op when present) and a current dashboard build
 * (scripts/build-web.mjs --if-stale). Both are quick no-ops when already done.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function setup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    execFileSync('bash', [join(ROOT, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
  }
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
}
