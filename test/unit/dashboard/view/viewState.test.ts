import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, searchOfView, viewFromSearch } from '../../../../web/src/view/viewState.js';

describe('the view in the URL', () => {
  it('is empty for the default view, so the plain address is the default', () => {
    expect(searchOfView(DEFAULT_VIEW)).toBe('');
    expect(viewFromSearch('')).toEqual(DEFAULT_VIEW);
  });
  it('round-trips every setting', () => {
    const view = {
      ...DEFAULT_VIEW,
      preset: 'custom' as const,
      from: '2026-10-01',
      to: '2026-11-01',
      timeZone: 'Europe/Madrid',
      step: 'WEEK' as const,
      stack: 'ACCOUNT' as const,
      table: 'ACCOUNT' as const,
      top: 25,
      sort: 'USD',
      descending: false,
      providers: ['KILLBILL'],
      sources: ['kb', 'g8'],
      accounts: ['QWNjb3VudDoxMjM='],
      drillSource: 'kb',
      drillAccount: 'QWNjb3VudDoxMjM=',
    };
    const search = searchOfView(view);
    expect(search).toContain('from=2026-10-01&to=2026-11-01');
    expect(viewFromSearch(search)).toEqual(view);
  });
  it('keeps a preset by name, not by its dates, so a shared link moves with the calendar', () => {
    expect(searchOfView({ ...DEFAULT_VIEW, preset: 'last-month' })).toBe('?preset=last-month');
    expect(viewFromSearch('?preset=this-quarter').preset).toBe('this-quarter');
  });
  it('falls back value by value when the URL is wrong', () => {
    const view = viewFromSearch(
      '?from=2026-11-01&to=2026-10-01&tz=Mars/Olympus&step=YEAR&by=COLOUR&top=7&preset=someday',
    );
    expect(view.preset).toBe(DEFAULT_VIEW.preset);
    expect(view.timeZone).toBe('UTC');
    expect(view.step).toBe('DAY');
    expect(view.stack).toBe('SOURCE');
    expect(view.top).toBe(10);
  });
});
