/**
 * The React dashboard at /dashboard in Chromium, over every simulator, with the page's clock pinned to NOW (the
 * gateway's clock too): cost over time stacked by a chosen dimension, one chart per currency; the totals table
 * (sort, rounding, top N); presets computed from today; time zone and filters in the request and the URL;
 * drill-down; the two downloads; a failing source's banner with its cause and countdown; a 390 px screen.
 * Screenshots go to test/artifacts/ for review.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, watchPage } from '../helpers/browser.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';
import { overEverySource, providersUnderTest } from '../helpers/providers.js';
import { DEMO_CURRENCIES } from '../../simulators/registry.js';

/** The pinned "today": presets, the today line and isFinal all follow it. */
const NOW = Date.parse('2026-11-20T12:00:00Z');
/** "Last 30 days" on NOW: 22 October to 20 November included. */
const LAST_30 = { start: '2026-10-22T00:00:00Z', end: '2026-11-21T00:00:00Z', timeZone: 'UTC' };
const PROVIDERS = await providersUnderTest();

/** Intl's rounding of a decimal string, as the page does it (half away from zero, two decimals). */
const rounded = (amount: string) =>
  new Intl.NumberFormat('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    roundingMode: 'halfExpand',
  }).format(amount as `${number}`);

type Money = { amount: string; currency: string };
type Group = { key: { value: string; label: string | null }[]; totals: Money[]; virtualTotals: Money[] };

/** The GraphQL variables of the page's report request. */
const reportVariables = (r: Request) =>
  (JSON.parse(r.postData() ?? '{}') as { operationName?: string; variables: Record<string, unknown> }).variables;
const isReport = (r: Request) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('"DashboardReport"');

describe('dashboard', () => {
  let h: FullHarness;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // A generous upstream timeout: this test is about rendering, and the 2-core machine is shared.
    const sourceOverrides = overEverySource({ timeoutMs: 20_000 });
    [h, browser] = await Promise.all([
      // The demo's data (no extreme-precision machine) and its rates for Buzz and credits, as `npm start` has them.
      startFullHarness({
        sourceOverrides,
        limits: { requestTimeoutMs: 30_000 },
        now: () => NOW,
        precision: false,
        config: { currencies: DEMO_CURRENCIES },
      }),
      launchChromium(),
    ]);
    base = h.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
  beforeEach(() => h.resetAll());

  async function open(
    path = '/dashboard/',
    { width = 1440, height = 900, at = base, clock = true } = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
    if (clock) await page.clock.setFixedTime(NOW);
    const { problems } = watchPage(page);
    await page.goto(`${at}${path}`);
    await page.locator('body[data-rendered="true"]').waitFor({ timeout: 30_000 });
    return { page, problems };
  }

  /** The report the page asked for, asked again over HTTP: what the page must show. */
  async function report(variables: Record<string, unknown>) {
    const res = await h.query<{
      table: { totals: Money[]; virtualTotals: Money[]; groups: { edges: { node: Group }[] } };
    }>(
      `query($window: TimeWindow!, $tableBy: [ReportDimension!]!, $filter: UsageFilter) {
        table: usageReport(window: $window, granularity: TOTAL, groupBy: $tableBy, filter: $filter) {
          totals { amount currency } virtualTotals { amount currency }
          groups(first: 500) { edges { node { key { value label } totals { amount currency } virtualTotals { amount currency } } } }
        }
      }`,
      variables,
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.table;
  }

  const charts = (page: Page) =>
    page.locator('figure.cost-chart').evaluateAll((els) =>
      els.map((e) => ({
        currency: e.getAttribute('data-currency'),
        virtual: e.hasAttribute('data-virtual'),
        total: e.querySelector('.chart-total')!.getAttribute('data-exact'),
        stacks: Number(e.querySelector('.chart-canvas')!.getAttribute('data-stacks')),
        buckets: Number(e.querySelector('.chart-canvas')!.getAttribute('data-buckets')),
        today: Number(e.querySelector('.chart-canvas')!.getAttribute('data-today')),
      })),
    );
  const tableRows = (page: Page) =>
    page.locator('table.totals-table tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        row: r.getAttribute('data-row'),
        name: r.querySelector('td.name button, td.name')!.textContent!.trim(),
        cells: Object.fromEntries(
          [...r.querySelectorAll('td[data-currency]')].map((c) => [
            c.getAttribute('data-currency'),
            { shown: c.textContent, exact: c.getAttribute('data-exact') },
          ]),
        ),
      })),
    );

  it('is served from web/dist: redirect to /dashboard/, CSP on the page, immutable hashed assets', async () => {
    const redirect = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/dashboard/');
    const page = await fetch(`${base}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("style-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    for (const asset of assets) {
      const res = await fetch(`${base}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${base}/dashboard/%2e%2e%2fpackage.json`)).status).toBe(404);
  });

  it('stacks the last 30 days by source, one chart per currency, totals exact, a today line, no CSP violation', async () => {
    const { page, problems } = await open();
    const api = await report({ window: LAST_30, tableBy: ['SOURCE'] });
    const shown = await charts(page);
    // Billing currencies first, largest first; then the virtual ones, each on its own chart.
    const byTotal = (a: Money, b: Money) => Number(b.amount) - Number(a.amount);
    expect(shown.map((c) => c.currency)).toEqual([
      ...[...api.totals].sort(byTotal).map((m) => m.currency),
      ...[...api.virtualTotals].sort(byTotal).map((m) => m.currency),
    ]);
    for (const m of [...api.totals, ...api.virtualTotals]) {
      const chart = shown.find((c) => c.currency === m.currency)!;
      expect(chart.total, m.currency).toBe(m.amount);
      expect(chart.virtual).toBe(api.virtualTotals.includes(m));
      expect(chart.buckets).toBe(30);
      // NOW is 20 November: the last bar of "last 30 days".
      expect(chart.today).toBe(29);
      // One stack per source with cost in that currency.
      expect(chart.stacks).toBe(
        api.groups.edges.filter(({ node }) =>
          [...node.totals, ...node.virtualTotals].some((t) => t.currency === m.currency),
        ).length,
      );
    }
    // Each virtual currency with its value at the configured rate, as usageReport(currency:) converts it.
    for (const m of api.virtualTotals) {
      const source = api.groups.edges.find(({ node }) => node.virtualTotals.some((v) => v.currency === m.currency))!;
      const converted = await h.query<{ usageReport: { converted: Money } }>(
        `query($w: TimeWindow!, $f: UsageFilter) { usageReport(window: $w, filter: $f, currency: "USD") { converted { amount currency } } }`,
        { w: LAST_30, f: { sources: [source.node.key[0]!.value] } },
      );
      const { amount } = converted.body.data!.usageReport.converted;
      await expect
        .poll(() => page.locator(`.virtual-note[data-currency="${m.currency}"]`).innerText())
        .toContain(`worth ${rounded(amount)} USD at the configured rate`);
    }
    // Readable axes: labelled ticks with the year on the first day, a legend naming the sources.
    const first = page.locator('figure.cost-chart').first();
    const texts = (await first.locator('svg text').allTextContents()).map((t) => t.trim());
    expect(texts.join(' ')).toMatch(/22 Oct/);
    expect(texts.join(' ')).toMatch(/2026/);
    expect(texts).toContain('today');
    // Hover: the tooltip names the day, each source and the exact total rounded half-up.
    const box = (await first.locator('.chart-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
    const tooltip = page.locator('.chart-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.innerText()).toMatch(/\d{4}[\s\S]*Total \d/);
    await screenshot(page, 'dashboard.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('restacks by account or metric from the stack control, in the request and in the URL', async () => {
    const { page } = await open();
    const request = page.waitForRequest(
      (r) => isReport(r) && JSON.stringify(reportVariables(r)['chartBy']) === '["METRIC"]',
    );
    await page.locator('select[name="stack"]').selectOption('METRIC');
    await request;
    await expect.poll(() => page.url()).toContain('by=METRIC');
    await expect.poll(async () => (await charts(page)).find((c) => c.currency === 'USD')?.stacks).toBeGreaterThan(2);
    await page.locator('select[name="stack"]').selectOption('ACCOUNT');
    await expect.poll(() => page.url()).toContain('by=ACCOUNT');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await screenshot(page, 'dashboard-by-account.png');
    await page.close();
  });

  it('lists totals per source, rounded half-up from the exact amounts, sortable, with top N and others', async () => {
    const { page } = await open('/dashboard/?table=ACCOUNT&top=5');
    const api = await report({ window: LAST_30, tableBy: ['SOURCE', 'ACCOUNT'] });
    const rows = await tableRows(page);
    const byId = new Map(api.groups.edges.map(({ node }) => [node.key.map((k) => k.value).join('|'), node]));
    expect(byId.size).toBeGreaterThan(6);
    // Top 5 by the largest currency, then one "others" row standing for the rest.
    expect(rows).toHaveLength(6);
    expect(rows[5]!.row).toBe('__others__');
    expect(rows[5]!.name).toBe(`Others (${byId.size - 5})`);
    for (const row of rows.slice(0, 5)) {
      const group = byId.get(row.row!)!;
      for (const m of [...group.totals, ...group.virtualTotals]) {
        expect(row.cells[m.currency]!.exact).toBe(m.amount);
        expect(row.cells[m.currency]!.shown).toBe(rounded(m.amount));
      }
    }
    // Sorting by the second currency column: descending on a first click, ascending on a second; rows without
    // that currency stay last.
    const column = (await page.locator('thead th.num button.sort').nth(1).getAttribute('data-column'))!;
    await page.locator(`button.sort[data-column="${column}"]`).click();
    await expect.poll(() => page.url()).toContain(`sort=${column}`);
    await page.locator(`button.sort[data-column="${column}"]`).click();
    await expect.poll(() => page.url()).toContain(`sort=${column}&dir=asc`);
    const values = (await tableRows(page))
      .filter((r) => r.row !== '__others__')
      .map((r) => r.cells[column]?.exact ?? '');
    const present = values.filter((v) => v !== '');
    expect(present.length).toBeGreaterThan(0);
    expect(present).toEqual([...present].sort((a, b) => Number(a) - Number(b)));
    expect(values.slice(0, present.length)).toEqual(present);
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain(column);
    await screenshot(page, 'dashboard-table.png');
    await page.close();
  });

  it('computes the presets from today and sends each window, kept in the URL as the preset’s name', async () => {
    const { page } = await open();
    const cases = [
      ['Last month', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'preset=last-month'],
      // Ranges running into the future are asked up to the end of today: nothing is used in the future.
      ['This quarter', '2026-10-01T00:00:00Z', '2026-11-21T00:00:00Z', 'preset=this-quarter'],
      ['Last 12 months', '2025-12-01T00:00:00Z', '2026-11-21T00:00:00Z', 'preset=last-12-months'],
      ['This month', '2026-11-01T00:00:00Z', '2026-11-21T00:00:00Z', 'preset=this-month'],
    ] as const;
    for (const [label, start, end, search] of cases) {
      const request = page.waitForRequest((r) => {
        const w = isReport(r) ? (reportVariables(r)['window'] as { start: string; end: string }) : null;
        return w?.start === start && w.end === end;
      });
      await page.getByRole('button', { name: label, exact: true }).click();
      await request;
      await expect.poll(() => page.url()).toContain(search);
    }
    // "This month" is month-to-date, today's bucket drawn as not final.
    await page.locator('body[data-rendered="true"]').waitFor();
    await expect.poll(async () => (await charts(page))[0]?.buckets).toBe(20);
    expect((await charts(page))[0]!.today).toBe(19);
    expect(await page.locator('.chart-note').first().innerText()).toMatch(/not final/);
    await screenshot(page, 'dashboard-this-month.png');
    // The shared link opens the same view.
    const again = await open(`/dashboard/${new URL(page.url()).search}`);
    expect(await again.page.locator('button.preset.active').innerText()).toBe('This month');
    await again.page.close();
    await page.close();
  }, 90_000);

  it('sends the time zone, the step and the source filter, and shows only what they name', async () => {
    const { page } = await open();
    const zoned = page.waitForRequest((r) => {
      const w = isReport(r) ? (reportVariables(r)['window'] as { start: string; timeZone: string }) : null;
      return w?.timeZone === 'Europe/Madrid' && w.start === '2026-10-22T00:00:00+02:00';
    });
    await page.locator('select[name="tz"]').selectOption('Europe/Madrid');
    await zoned;
    const weekly = page.waitForRequest((r) => isReport(r) && reportVariables(r)['step'] === 'WEEK');
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await weekly;
    const filtered = page.waitForRequest(
      (r) => isReport(r) && JSON.stringify(reportVariables(r)['filter']) === '{"sources":["kb"]}',
    );
    await page.locator('details[data-filter="sources"] summary').click();
    await page.locator('input[name="sources"][value="kb"]').check();
    await filtered;
    await expect.poll(() => page.url()).toMatch(/tz=Europe%2FMadrid.*step=WEEK.*sources=kb/);
    await expect.poll(async () => (await charts(page)).map((c) => c.currency)).toEqual(['USD']);
    await page.locator('details[data-filter="sources"] summary').click();
    await screenshot(page, 'dashboard-filtered.png');
    await page.close();
  });

  it('drills from a source to its accounts and from an account to its resources, by keyboard too; Back goes up', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: 'Show what is behind Kill Bill simulator' }).click();
    await expect.poll(() => page.url()).toContain('source=kb');
    await expect.poll(() => page.locator('table.totals-table thead th').first().innerText()).toMatch(/Account/);
    const api = await report({ window: LAST_30, tableBy: ['ACCOUNT'], filter: { sources: ['kb'] } });
    await expect.poll(async () => (await tableRows(page)).length).toBe(Math.min(api.groups.edges.length, 10));
    // Keyboard: focus the first account's button and press Enter.
    const firstAccount = page.locator('table.totals-table tbody button.drill').first();
    const accountName = await firstAccount.innerText();
    await firstAccount.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('account=');
    await expect
      .poll(() => page.locator('table.totals-table thead th').allInnerTexts())
      .toEqual(expect.arrayContaining(['Cloudspace or subscription', expect.stringMatching(/^Resource/)]));
    // Kill Bill's parts are the account's subscriptions: one row each, not one "Unallocated".
    expect((await tableRows(page)).length).toBeGreaterThan(1);
    expect(await page.locator('nav.crumbs').innerText()).toContain(accountName);
    await screenshot(page, 'dashboard-drilldown.png');
    await page.goBack();
    await expect.poll(() => page.locator('table.totals-table thead th').first().innerText()).toMatch(/Account/);
    await page.close();
  });

  it('downloads the view as FOCUS 1.3 and the table as CSV', async () => {
    const { page } = await open('/dashboard/?preset=last-month&sources=hs');
    const focus = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download FOCUS 1.3 (CSV)' }).click();
    const file = await focus;
    expect(file.suggestedFilename()).toBe('billgraph-focus-1.3-2026-10-01-2026-11-01.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toContain('BilledCost');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes(',hs,') || l.includes('Hyperstack'))).toBe(true);
    const table = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download table (CSV)' }).click();
    const tableCsv = readFileSync((await (await table).path())!, 'utf8')
      .trim()
      .split('\n');
    const api = await report({
      window: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z', timeZone: 'UTC' },
      tableBy: ['SOURCE'],
      filter: { sources: ['hs'] },
    });
    expect(tableCsv[0]).toBe(['Source', ...api.totals.map((m) => m.currency), 'notes'].join(','));
    // Exact amounts, not the rounded display.
    expect(tableCsv[1]).toBe(['Hyperstack simulator', ...api.totals.map((m) => m.amount), ''].join(','));
    await page.close();
  });

  it('fits a 390 px screen: no sideways scrolling of the page, the table scrolls in its box', async () => {
    const { page, problems } = await open('/dashboard/', { width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const chart = (await page.locator('.chart-canvas').first().boundingBox())!;
    expect(chart.width).toBeLessThanOrEqual(390);
    expect(chart.width).toBeGreaterThan(300);
    await screenshot(page, 'dashboard-390.png');
    await page.screenshot({
      path: `${(await import('../helpers/browser.js')).ARTIFACTS}/dashboard-390-full.png`,
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(PROVIDERS)(
    'shows a banner for a failing $displayName source with its cause and a live countdown; the others still render',
    async ({ sourceId, displayName, expectations }) => {
      // A gateway of its own, with the real clock: its breaker opens after two failures and probes after 60 s.
      const own = await startFullHarness({
        precision: false,
        sourceOverrides: {
          ...overEverySource({ timeoutMs: 20_000 }),
          [sourceId]: { timeoutMs: 20_000, breakerThreshold: 2, breakerHalfOpenAfterMs: 60_000 },
        },
        limits: { requestTimeoutMs: 30_000 },
      });
      try {
        own.sims[sourceId]!.injectFault({ ...expectations.consumptionCalls, fault: { kind: 'status', status: 503 } });
        const { page, problems } = await open('/dashboard/', { at: own.url.replace(/\/graphql$/, ''), clock: false });
        const banner = page.locator(`.banner[data-source="${sourceId}"]`);
        await banner.waitFor({ timeout: 15_000 });
        expect(await banner.innerText()).toContain(displayName);
        expect(await banner.locator('.cause').innerText()).toBe('UPSTREAM_UNAVAILABLE · HTTP 503');
        expect(await banner.innerText()).toContain('Data from the other sources is still shown.');
        // The countdown to the breaker's probe goes down, second by second.
        const seconds = async () => Number(await banner.locator('.retry').getAttribute('data-seconds'));
        const before = await seconds();
        expect(before).toBeGreaterThan(0);
        expect(before).toBeLessThanOrEqual(60);
        await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(before);
        expect(await banner.locator('.retry').innerText()).toMatch(/^retrying in \d+ s$/);
        expect(
          await page.locator('.banner').evaluateAll((els) => els.map((e) => e.getAttribute('data-source'))),
        ).toEqual([sourceId]);
        expect(await page.locator(`.sources li[data-source="${sourceId}"]`).getAttribute('class')).toBe(
          'source failing',
        );
        // Partial: the other sources' charts are there, the report says it is partial.
        expect((await charts(page)).length).toBeGreaterThan(0);
        expect(await page.locator('#cost-heading .marker.partial').count()).toBe(1);
        await screenshot(page, `dashboard-source-failing-${sourceId}.png`);
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await own.close();
      }
    },
  );
});
