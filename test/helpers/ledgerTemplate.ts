/**
 * Vitest global setup of the projects that start gateway processes: one new embedded ledger,
 * created once per run and copied into each child's data folder (test/helpers/process.ts).
 * Creating a PGlite cluster takes seconds of CPU and 40 MB of writes; a copy takes milliseconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openLedger } from '../../src/ledger/openLedger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A freshly migrated, empty embedded ledger folder to copy (never to open in place). */
    ledgerTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), 'billgraph-ledger-template-'));
  const dataDir = join(root, 'ledger');
  const ledger = await openLedger({ kind: 'embedded', dataDir });
  await ledger.close();
  project.provide('ledgerTemplate', dataDir);
  return () => rmSync(root, { recursive: true, force: true });
}
