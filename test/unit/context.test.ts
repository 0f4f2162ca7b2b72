import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/bootstrap.js';
import { createContext, type GatewaySource } from '../../src/context.js';
import { ErrorCode, GatewayError } from '../../src/errors.js';
import { PROVIDER_MODULES } from '../../src/providers/registry.js';
import type { SourceApi, SourceRuntime } from '../../src/providers/types.js';
import { createRequestScope } from '../../src/requestScope.js';

const config = validateConfig(
  {
    sources: [
      { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:1', credentials: { token: 't' } },
      {
        id: 'kb',
        provider: 'KILLBILL',
        baseUrl: 'http://127.0.0.1:1',
        credentials: { username: 'u', password: 'p', apiKey: 'k', apiSecret: 's' },
      },
    ],
    limits: { maxBucketsPerRequest: 40 },
  },
  'test',
  {},
);

/** A runtime that counts the per-request APIs it hands out; no upstream is ever called. */
function fakeSources() {
  const created: string[] = [];
  const sources = new Map<string, GatewaySource>();
  for (const source of config.sources) {
    const runtime: SourceRuntime = {
      source: { id: source.id, provider: source.provider, name: source.id },
      config: source,
      createApi: () => {
        created.push(source.id);
        return {
          listAccounts: async () => [],
          getAccount: async () => null,
          accountConsumption: async () => [],
          resolveNode: async () => null,
        } satisfies SourceApi;
      },
      ping: async () => {},
      resilience: () => ({ breaker: 'closed', inFlight: 0, queued: 0, sockets: { busy: 0, free: 0 } }),
      close: async () => {},
    };
    sources.set(source.id, { runtime, module: PROVIDER_MODULES[source.provider] });
  }
  return { sources, created };
}

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

describe('createContext', () => {
  it('validates a window argument once per request, however many fields pass it', () => {
    const { sources } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope());
    const first = ctx.window(OCTOBER);
    expect(ctx.window({ ...OCTOBER })).toBe(first);
    expect(first).toMatchObject({
      startMs: Date.parse(OCTOBER.start),
      endMs: Date.parse(OCTOBER.end),
      timeZone: 'UTC',
    });
  });

  it('splits a window into buckets once per (window, granularity) and source provider', () => {
    const { sources } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope());
    const g8 = sources.get('g8')!.runtime.source;
    const days = ctx.bucketed(g8, OCTOBER, 'DAY');
    expect(days.buckets).toHaveLength(31);
    expect(ctx.bucketed(g8, { ...OCTOBER }, 'DAY')).toBe(days);
    expect(ctx.bucketed(g8, OCTOBER, 'TOTAL').buckets).toHaveLength(1);
  });

  it('charges every distinct bucketing against limits.maxBucketsPerRequest, and refuses past it', () => {
    const { sources } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope());
    const g8 = sources.get('g8')!.runtime.source;
    ctx.bucketed(g8, OCTOBER, 'DAY'); // 31 of 40
    ctx.bucketed(g8, OCTOBER, 'DAY'); // the same bucketing: free
    const refused = (() => {
      try {
        ctx.bucketed(g8, { start: '2026-09-01T00:00:00Z', end: '2026-09-11T00:00:00Z' }, 'DAY'); // 41
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).extensions.code).toBe(ErrorCode.QUERY_TOO_COMPLEX);
    expect((refused as GatewayError).message).toMatch(/41 time buckets; the limit is 40/);
  });

  it('refuses a granularity finer than the source reports, naming what to use', () => {
    const { sources } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope());
    const kb = sources.get('kb')!.runtime.source;
    expect(() => ctx.bucketed(kb, { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' }, 'HOUR')).toThrow(
      /finer than Kill Bill reports; use DAY or coarser/,
    );
  });

  it('calls a bucket final by its source’s own rule at the request’s start on the calendar clock', () => {
    const { sources } = fakeSources();
    // Noon on 2026-10-20: a bucket ending at midnight is an hour past G8's lag, not a day past Kill Bill's.
    const ctx = createContext(
      sources,
      config.limits,
      createRequestScope({ now: () => Date.parse('2026-10-20T12:00:00Z') }),
    );
    const [g8, kb] = [sources.get('g8')!.runtime.source, sources.get('kb')!.runtime.source];
    const midnight = Date.parse('2026-10-20T00:00:00Z');
    expect([ctx.isFinalBucket(g8, midnight), ctx.isFinalBucket(kb, midnight)]).toEqual([true, false]);
    expect(ctx.isFinalBucket(kb, midnight - 86_400_000)).toBe(true);
    expect(ctx.isFinalBucket(g8, Date.parse('2026-10-20T11:30:00Z'))).toBe(false);
  });

  it('creates one API per source and request, on first use only', () => {
    const { sources, created } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope());
    expect(ctx.api('g8')).toBe(ctx.api(sources.get('g8')!.runtime.source));
    expect(created).toEqual(['g8']);
    createContext(sources, config.limits, createRequestScope()).api('g8');
    expect(created).toEqual(['g8', 'g8']);
  });

  it('shows a tenant only its own sources: another one is "not configured"', () => {
    const { sources, created } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope(), {
      name: 'finops',
      sources: new Set(['kb']),
      canWrite: false,
    });
    expect(ctx.sources.map((s) => s.id)).toEqual(['kb']);
    expect(() => ctx.api('g8')).toThrow('No source "g8" is configured.');
    expect(created).toEqual([]);
  });

  it('counts resolved objects and stops the request past limits.maxObjectsPerRequest', () => {
    const { sources } = fakeSources();
    const ctx = createContext(sources, { ...config.limits, maxObjectsPerRequest: 10 }, createRequestScope());
    ctx.countObjects(10);
    expect(() => ctx.checkObjects()).not.toThrow();
    expect(() => ctx.countObjects(1)).toThrow(/past 10 objects/);
    expect(() => ctx.checkObjects()).toThrow(/past 10 objects/);
    expect(ctx.cutShort().map((e) => e.message)).toEqual([expect.stringMatching(/past 10 objects/)]);
  });

  it('says once its deadline has passed, and records the cut once', () => {
    const { sources } = fakeSources();
    const scope = { ...createRequestScope(), deadline: Date.now() - 1 };
    const ctx = createContext(sources, { ...config.limits, requestTimeoutMs: 250 }, scope);
    expect(ctx.cutShort()).toEqual([]);
    expect(ctx.pastDeadline()).toBe(true);
    expect(ctx.pastDeadline()).toBe(true);
    expect(ctx.cutShort()).toHaveLength(1);
    expect(ctx.cutShort()[0]).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/^The request ran past its deadline of 250 ms \(limits\.requestTimeoutMs\)/),
    });
    // The ceilings are separate: past the deadline, a request within them is not refused by checkObjects.
    expect(() => ctx.checkObjects()).not.toThrow();
  });

  it('is not past a deadline still ahead', () => {
    const { sources } = fakeSources();
    const ctx = createContext(sources, config.limits, createRequestScope({ timeoutMs: 60_000 }));
    expect(ctx.pastDeadline()).toBe(false);
    expect(ctx.cutShort()).toEqual([]);
  });
});
