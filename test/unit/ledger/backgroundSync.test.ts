import { describe, expect, it } from 'vitest';
import { recentWindowMs, startBackgroundSync } from '../../../src/ledger/backgroundSync.js';
import { configSchema } from '../../../src/config.js';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';
import type { GatewaySource } from '../../../src/context.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('recentWindowMs', () => {
  it("is the provider's restatement window and one day more", () => {
    expect(recentWindowMs({ module: { ...PROVIDER_MODULES.OPENVCLOUD, restatementHours: 24 } })).toBe(2 * DAY);
    expect(recentWindowMs({ module: { ...PROVIDER_MODULES.OPENVCLOUD, restatementHours: 0 } })).toBe(DAY);
    expect(recentWindowMs({ module: { ...PROVIDER_MODULES.OPENVCLOUD, restatementHours: 72 } })).toBe(72 * HOUR + DAY);
    expect(recentWindowMs({ module: PROVIDER_MODULES.KILLBILL })).toBe(744 * HOUR + DAY);
  });
});

describe('startBackgroundSync', () => {
  const limits = configSchema.parse({
    sources: [
      {
        id: 'g8',
        provider: 'OPENVCLOUD',
        baseUrl: 'http://127.0.0.1:9001',
        credentials: { username: 'u', password: 'p' },
      },
    ],
  }).limits;

  it('does nothing while there is no open ledger, and stops at once', async () => {
    let asked = 0;
    // A source that fails the test if a run ever reaches it.
    const sources = new Map<string, GatewaySource>([
      [
        'g8',
        {
          get module(): never {
            throw new Error('a run without a ledger read a source');
          },
          get runtime(): never {
            throw new Error('a run without a ledger read a source');
          },
        },
      ],
    ]);
    const sync = startBackgroundSync({
      ledger: () => {
        asked++;
        return null;
      },
      sources,
      limits,
      now: Date.now,
      intervalMs: 0,
    });
    await expect(sync.runOnce()).resolves.toBeUndefined();
    await expect(sync.runOnce()).resolves.toBeUndefined();
    expect(asked).toBe(2);
    await expect(sync.stop()).resolves.toBeUndefined();
  });

  it('starts no run of its own when the interval is 0', async () => {
    let asked = 0;
    const sync = startBackgroundSync({
      ledger: () => {
        asked++;
        return null;
      },
      sources: new Map(),
      limits,
      now: Date.now,
      intervalMs: 0,
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toBe(0);
    await sync.stop();
  });
});
