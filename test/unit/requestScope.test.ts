import { describe, expect, it } from 'vitest';
import type { RequestTrace } from '../../src/observability/upstreamTelemetry.js';
import { createRequestScope } from '../../src/requestScope.js';

describe('createRequestScope', () => {
  it('without options: a random UUID, no deadline, no ceiling, no calls yet, no trace or tenant', () => {
    const scope = createRequestScope();
    expect(scope.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(scope.deadline).toBe(Number.POSITIVE_INFINITY);
    expect(scope.maxUpstreamCalls).toBe(Number.POSITIVE_INFINITY);
    expect(scope.upstreamCalls).toBe(0);
    expect('trace' in scope).toBe(false);
    expect('tenant' in scope).toBe(false);
  });

  it('gives every request its own id', () => {
    expect(createRequestScope().requestId).not.toBe(createRequestScope().requestId);
  });

  it('keeps the id, ceiling, trace and tenant it is given', () => {
    const trace: RequestTrace = { startUpstream: () => ({ end: () => {} }) };
    const scope = createRequestScope({ requestId: 'req-1', maxUpstreamCalls: 50, trace, tenant: 'finance' });
    expect(scope).toMatchObject({ requestId: 'req-1', maxUpstreamCalls: 50, tenant: 'finance' });
    expect(scope.trace).toBe(trace);
  });

  it('takes startedAt from the injected calendar clock', () => {
    expect(createRequestScope({ now: () => Date.UTC(2026, 10, 1) }).startedAt).toBe(Date.UTC(2026, 10, 1));
  });

  it('sets the deadline timeoutMs after now on the real clock, whatever the calendar clock says', () => {
    const before = Date.now();
    const scope = createRequestScope({ timeoutMs: 30_000, now: () => 0 });
    const after = Date.now();
    expect(scope.startedAt).toBe(0);
    expect(scope.deadline).toBeGreaterThanOrEqual(before + 30_000);
    expect(scope.deadline).toBeLessThanOrEqual(after + 30_000);
  });

  it('keeps a zero timeout as a deadline of now, and a ceiling of zero calls', () => {
    const before = Date.now();
    const scope = createRequestScope({ timeoutMs: 0, maxUpstreamCalls: 0 });
    expect(scope.deadline).toBeGreaterThanOrEqual(before);
    expect(scope.deadline).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(scope.maxUpstreamCalls).toBe(0);
  });

  it('keeps an empty tenant name rather than dropping it', () => {
    expect(createRequestScope({ tenant: '' }).tenant).toBe('');
  });

  it('counts calls on the scope it returns', () => {
    const scope = createRequestScope();
    scope.upstreamCalls += 2;
    expect(scope.upstreamCalls).toBe(2);
  });
});
