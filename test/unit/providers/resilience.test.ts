/**
 * The bulkhead's fair queue: which waiter each freed slot goes to, and who is refused when the
 * queue is full. Deterministic: no deadlines (Infinity), grants observed in order.
 */
import { describe, expect, it } from 'vitest';
import { Bulkhead } from '../../../src/providers/resilience.js';

const NEVER = Number.POSITIVE_INFINITY;
const full = () => new Error('full');
const expired = () => new Error('expired');

/** Queues `label` for `tenant` on `bulkhead`, recording the label in `log` once granted (or 'label!' when refused). */
function queue(bulkhead: Bulkhead, log: string[], tenant: string | undefined, label: string): Promise<void> {
  return bulkhead.acquire(NEVER, full, expired, undefined, tenant).then(
    () => void log.push(label),
    (error: Error) => void log.push(`${label}!${error.message}`),
  );
}

/**
 * The tenant of the last call granted (labels are "<tenant><n>"; "held" is a's, x-calls have no
 * tenant): with one slot, the one holding it.
 */
const holder = (log: readonly string[]): string | undefined => {
  const last = [...log].reverse().find((l) => !l.includes('!'))!;
  return last === 'held' ? 'a' : last.startsWith('x') ? undefined : last[0];
};

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Bulkhead', () => {
  it('grants free slots at once and queues the rest', async () => {
    const bulkhead = new Bulkhead(2, 10);
    const log: string[] = [];
    void queue(bulkhead, log, 'a', 'a1');
    void queue(bulkhead, log, 'a', 'a2');
    void queue(bulkhead, log, 'a', 'a3');
    await settle();
    expect(log).toEqual(['a1', 'a2']);
    expect({ active: bulkhead.active, queued: bulkhead.queued }).toEqual({ active: 2, queued: 1 });
  });

  it('serves the tenants round-robin when slots free, each tenant in its own FIFO order', async () => {
    const bulkhead = new Bulkhead(1, 100);
    const log: string[] = [];
    void queue(bulkhead, log, 'a', 'held');
    for (let i = 1; i <= 5; i++) void queue(bulkhead, log, 'a', `a${i}`);
    void queue(bulkhead, log, 'b', 'b1');
    void queue(bulkhead, log, 'b', 'b2');
    void queue(bulkhead, log, 'c', 'c1');
    await settle();
    expect(log).toEqual(['held']);
    // One slot: whoever was granted last holds it and gives it back.
    for (let i = 0; i < 8; i++) {
      bulkhead.release(holder(log));
      await settle();
    }
    // Tenant b's first call waits behind one of a's, not behind a's five.
    expect(log).toEqual(['held', 'a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4', 'a5']);
    expect({ active: bulkhead.active, queued: bulkhead.queued }).toEqual({ active: 1, queued: 0 });
    bulkhead.release('a');
    expect(bulkhead.active).toBe(0);
  });

  it('gives a freed slot to the waiting tenant with the fewest calls in flight, ties round-robin', async () => {
    const bulkhead = new Bulkhead(3, 100);
    const log: string[] = [];
    for (let i = 1; i <= 3; i++) void queue(bulkhead, log, 'a', `held${i}`);
    for (let i = 1; i <= 3; i++) void queue(bulkhead, log, 'a', `a${i}`);
    void queue(bulkhead, log, 'b', 'b1');
    void queue(bulkhead, log, 'b', 'b2');
    await settle();
    expect(log).toEqual(['held1', 'held2', 'held3']);
    // a holds all three slots; b holds none, so b gets the first one freed, then they alternate.
    for (const tenant of ['a', 'a', 'a', 'b']) {
      bulkhead.release(tenant);
      await settle();
    }
    expect(log.slice(3)).toEqual(['b1', 'a1', 'b2', 'a2']);
  });

  it('puts a tenant that arrives late at the back of the rotation, not ahead of those already waiting', async () => {
    const bulkhead = new Bulkhead(1, 100);
    const log: string[] = [];
    void queue(bulkhead, log, 'a', 'held');
    void queue(bulkhead, log, 'a', 'a1');
    void queue(bulkhead, log, 'b', 'b1');
    bulkhead.release('a');
    await settle();
    void queue(bulkhead, log, 'c', 'c1');
    for (let i = 0; i < 2; i++) {
      bulkhead.release(holder(log));
      await settle();
    }
    expect(log).toEqual(['held', 'a1', 'b1', 'c1']);
  });

  it('queues calls without a tenant together, as one more tenant', async () => {
    const bulkhead = new Bulkhead(1, 100);
    const log: string[] = [];
    void queue(bulkhead, log, undefined, 'x0');
    void queue(bulkhead, log, undefined, 'x1');
    void queue(bulkhead, log, undefined, 'x2');
    void queue(bulkhead, log, 'a', 'a1');
    await settle();
    for (let i = 0; i < 3; i++) {
      bulkhead.release(holder(log));
      await settle();
    }
    expect(log).toEqual(['x0', 'x1', 'a1', 'x2']);
  });

  it("when full, refuses the newcomer of the tenant holding the most, and makes room for another tenant by refusing that tenant's newest call", async () => {
    const bulkhead = new Bulkhead(1, 3);
    const log: string[] = [];
    void queue(bulkhead, log, 'a', 'held');
    for (let i = 1; i <= 3; i++) void queue(bulkhead, log, 'a', `a${i}`);
    void queue(bulkhead, log, 'a', 'a4');
    await settle();
    expect(log).toEqual(['held', 'a4!full']);
    void queue(bulkhead, log, 'b', 'b1');
    await settle();
    // b's call took the place of a's newest; the queue is still at its bound.
    expect(log).toEqual(['held', 'a4!full', 'a3!full']);
    expect(bulkhead.queued).toBe(3);
    // Shares are now a:2, b:1: a second call of b would leave b holding more than a would, so it is refused.
    void queue(bulkhead, log, 'b', 'b2');
    await settle();
    expect(log.at(-1)).toBe('b2!full');
    for (let i = 0; i < 3; i++) {
      bulkhead.release(holder(log));
      await settle();
    }
    expect(log.slice(4)).toEqual(['a1', 'b1', 'a2']);
  });

  it("drops a waiter whose deadline passed from its tenant's queue, and the others keep their turns", async () => {
    const bulkhead = new Bulkhead(1, 10);
    const log: string[] = [];
    void queue(bulkhead, log, 'a', 'held');
    const late = bulkhead.acquire(Date.now() - 1, full, expired, undefined, 'b').catch((e: Error) => e.message);
    void queue(bulkhead, log, 'c', 'c1');
    expect(await late).toBe('expired');
    expect(bulkhead.queued).toBe(1);
    bulkhead.release('a');
    await settle();
    expect(log).toEqual(['held', 'c1']);
  });

  it("refuseAll fails every tenant's waiters and empties the queue", async () => {
    const bulkhead = new Bulkhead(1, 10);
    const log: string[] = [];
    void queue(bulkhead, log, 'a', 'held');
    void bulkhead.acquire(NEVER, full, expired, () => new Error('open'), 'a').catch((e: Error) => log.push(e.message));
    void bulkhead.acquire(NEVER, full, expired, () => new Error('open'), 'b').catch((e: Error) => log.push(e.message));
    bulkhead.refuseAll();
    await settle();
    expect(log).toEqual(['held', 'open', 'open']);
    expect(bulkhead.queued).toBe(0);
  });
});
