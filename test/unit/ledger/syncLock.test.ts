import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../../src/ledger/openLedger.js';
import { withSyncLock } from '../../../src/ledger/syncLock.js';

describe('withSyncLock on the embedded ledger (one process has it already)', () => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = await openLedger({ kind: 'memory' });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it("runs the work and answers its value, waiting or not, never 'busy'", async () => {
    expect(await withSyncLock(ledger, true, async () => 42)).toBe(42);
    expect(await withSyncLock(ledger, false, async () => 'done')).toBe('done');
  });

  it('lets two runs overlap: no lock is taken', async () => {
    const order: string[] = [];
    let release!: () => void;
    const first = withSyncLock(ledger, false, () =>
      new Promise<void>((r) => (release = r)).then(() => order.push('first')),
    );
    const second = await withSyncLock(ledger, false, async () => order.push('second'));
    release();
    await first;
    expect(second).toBe(1);
    expect(order).toEqual(['second', 'first']);
  });

  it("passes the work's failure on", async () => {
    await expect(withSyncLock(ledger, true, () => Promise.reject(new Error('upstream down')))).rejects.toThrow(
      'upstream down',
    );
  });
});
