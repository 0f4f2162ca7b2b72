import { describe, expect, it } from 'vitest';
import { collectProblems } from '../../../web/src/errors.js';

const kb = { id: 'kb', name: 'Kill Bill simulator', provider: 'KILLBILL' };

describe('the dashboard’s problems per source', () => {
  it('carries the cause, the upstream status and the latest retry time of a failing source', () => {
    const problems = collectProblems({
      sourceErrors: [
        {
          where: 'cost over time',
          list: [
            {
              source: kb,
              code: 'UPSTREAM_UNAVAILABLE',
              message: 'its circuit breaker opened after repeated failures (last: HTTP 503, UPSTREAM_UNAVAILABLE)',
              retryable: true,
              upstreamStatus: 503,
              causeCode: 'UPSTREAM_UNAVAILABLE',
              retryAt: '2026-11-20T12:00:30Z',
            },
          ],
        },
        {
          where: 'totals',
          list: [
            {
              source: kb,
              code: 'UPSTREAM_UNAVAILABLE',
              message: 'the same',
              retryable: true,
              upstreamStatus: null,
              causeCode: null,
              retryAt: '2026-11-20T12:00:45Z',
            },
          ],
        },
      ],
      operationErrors: [],
      sourceNames: new Map(),
    });
    expect(problems.sources).toHaveLength(1);
    expect(problems.sources[0]).toMatchObject({
      sourceId: 'kb',
      upstreamStatus: 503,
      causeCode: 'UPSTREAM_UNAVAILABLE',
      retryAt: Date.parse('2026-11-20T12:00:45Z'),
      where: ['cost over time', 'totals'],
    });
  });

  it('leaves the cause empty when nothing says it', () => {
    const problems = collectProblems({
      sourceErrors: [
        {
          where: 'totals',
          list: [{ source: kb, code: 'UPSTREAM_TIMEOUT', message: 'late', retryable: true }],
        },
      ],
      operationErrors: [],
      sourceNames: new Map(),
    });
    expect(problems.sources[0]).toMatchObject({ upstreamStatus: null, causeCode: null, retryAt: null });
  });
});
