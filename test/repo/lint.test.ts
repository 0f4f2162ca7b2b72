/**
 * The lint rules that catch bugs stay on: the project's own ESLint config (eslint.config.js) lints
 * test/fixtures/lint/bugs.ts, one bug per rule, and must report each at its line. A config change
 * that drops or weakens one of them fails here, not silently.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/lint/bugs.ts', import.meta.url));

/** The 1-based line of the fixture that contains `text`. */
const lineOf = (text: string) =>
  readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

describe('lint rules', () => {
  it('report a floating promise, an explicit any, a non-exhaustive switch and a misused promise', async () => {
    // ignore: false, because `npm run lint` ignores the fixtures (they hold the bugs on purpose).
    const eslint = new ESLint({ cwd: ROOT, ignore: false });
    const [result] = await eslint.lintFiles([FIXTURE]);
    const found = result!.messages.map((m) => [m.ruleId, m.line, m.severity]);
    expect(found).toEqual([
      ['@typescript-eslint/no-floating-promises', lineOf('  save();'), 2],
      ['@typescript-eslint/no-explicit-any', lineOf('value: any'), 2],
      ['@typescript-eslint/switch-exhaustiveness-check', lineOf('switch (kind)'), 2],
      ['@typescript-eslint/no-misused-promises', lineOf('forEach(async'), 2],
    ]);
  });
});
