/**
 * 10 MB upstream bodies, over HTTP through the real gateway with every provider's default body
 * limit: each source refuses a body over its limit while reading it (never buffered whole or
 * parsed), and while one source answers nothing but 10 MB bodies to many concurrent requests,
 * every other source's answers still succeed, equal to a quiet run's. How fast they answer under
 * that load is the bench's "10 MB upstream body" row (bench/harness.ts), not a test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../../src/models.js';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';
import { DEFAULT_HUGE_BODY_BYTES } from '../../../simulators/kit.js';
import { SIMULATED_SOURCE_IDS } from '../../../simulators/registry.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { EVERY_SOURCE, expectNoSecrets, expectSocketsSettled, outcomeOf, SOURCE_IDS, WINDOW } from './helpers.js';

const ONE_SOURCE = (provider: Provider) => /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: ${provider}, first: 1) {
      edges {
        node {
          consumption(window: $w) {
            metric
            quantity
          }
        }
      }
    }
  }
`;

describe('10 MB upstream bodies', () => {
  let h: FullHarness;
  beforeAll(async () => {
    // No maxResponseBytes in the config: every source runs with its provider's default.
    h = await startFullHarness({ limits: { requestTimeoutMs: 20_000 } });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it.each(Object.entries(PROVIDER_MODULES))(
    '%s refuses a 10 MB body as UPSTREAM_BAD_RESPONSE naming its default limit',
    async (provider, module) => {
      expect(module.maxResponseBytes).toBeLessThan(DEFAULT_HUGE_BODY_BYTES);
      const id = SIMULATED_SOURCE_IDS[provider as Provider];
      h.sims[id]!.injectFault({ fault: { kind: 'hugeBody' } });
      const res = await h.query(EVERY_SOURCE, { w: WINDOW });
      expect(outcomeOf(res, id).codes).toContain('UPSTREAM_BAD_RESPONSE');
      const messages = (res.body.errors ?? []).map((e) => e.message).join('\n');
      const listed = (res.body.data?.accounts.errors ?? []).map((e) => e.message).join('\n');
      expect(`${messages}\n${listed}`).toContain(`a body larger than ${module.maxResponseBytes} bytes`);
      expectNoSecrets(h, res.text);
      h.sims[id]!.clearFaults();
      await expectSocketsSettled(h, id);
    },
  );

  it('while Civitai answers 10 MB bodies to 40 concurrent requests, 40 concurrent requests to the other sources all succeed', async () => {
    const others = (Object.keys(PROVIDER_MODULES) as Provider[]).filter((p) => p !== 'CIVITAI');
    const quiet = new Map<Provider, unknown>();
    for (const p of others) {
      const res = await h.query(ONE_SOURCE(p), { w: WINDOW });
      expect(res.body.errors, p).toBeUndefined();
      quiet.set(p, res.body.data);
    }
    h.resetAll();
    h.sims.civitai!.injectFault({ fault: { kind: 'hugeBody' } });

    const ROUNDS = 4;
    const PER_ROUND = 10;
    const huge: Promise<void>[] = [];
    const healthy: Promise<void>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < PER_ROUND; i++) {
        huge.push(
          h.query(ONE_SOURCE('CIVITAI'), { w: WINDOW }).then((res) => {
            expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BAD_RESPONSE']);
          }),
        );
        const p = others[(round * PER_ROUND + i) % others.length]!;
        healthy.push(
          h.query(ONE_SOURCE(p), { w: WINDOW }).then((res) => {
            expect(res.body.errors, p).toBeUndefined();
            expect(res.body.data, p).toEqual(quiet.get(p));
          }),
        );
      }
    }
    await Promise.all([...huge, ...healthy]);
    // Every Civitai call was answered with 10 MB; none was retried (a too-large body is not an outage).
    expect(h.sims.civitai!.count()).toBe(ROUNDS * PER_ROUND);
    for (const id of SOURCE_IDS) await expectSocketsSettled(h, id);
  });
});
