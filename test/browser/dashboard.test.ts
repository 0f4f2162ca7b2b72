/**
 * The React dashboard at /dashboard in Chromium, over every simulator: the seeded accounts as a
 * tree with consumption, cost per day, and a per-source banner (with the other sources still
 * rendered) when one simulator fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, watchPage } from '../helpers/browser.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';
import { overEverySource, providersUnderTest } from '../helpers/providers.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const PROVIDERS = await providersUnderTest();

describe('dashboard', () => {
  let h: FullHarness;
  let base: string;
  let browser: Browser;
  /** The full harness as this suite configures it. */
  let startGateway: () => Promise<FullHarness>;
  /** Every account the API lists, as the dashboard should show them. */
  let accounts: { id: string; name: string; source: string }[];

  beforeAll(async () => {
    // A generous upstream timeout: this test is about rendering, and the 2-core machine is shared.
    const slowOk = { timeoutMs: 20_000 };
    const sourceOverrides = overEverySource(slowOk);
    // The request deadline must not cut the generous timeout short.
    startGateway = () => startFullHarness({ sourceOverrides, limits: { requestTimeoutMs: 30_000 } });
    [h, browser] = await Promise.all([startGateway(), launchChromium()]);
    base = h.url.replace(/\/graphql$/, '');
    const res = await h.query(
      `{ accounts(first: 500) { edges { node { id name providerId source { id } } } errors { code } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.errors).toEqual([]);
    accounts = res.body.data!.accounts.edges.map((e) => ({
      id: e.node.id,
      name: e.node.name ?? e.node.providerId,
      source: e.node.source.id,
    }));
    expect(accounts.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
  beforeEach(() => h.resetAll());

  async function open(path = '/dashboard/', at = base): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
    const { problems } = watchPage(page);
    await page.goto(`${at}${path}`);
    await page.locator('ul.tree > li.account').first().waitFor({ timeout: 15_000 });
    await page.locator('.cost-chart').waitFor({ timeout: 15_000 });
    return { page, problems };
  }

  const shownAccounts = (page: Page) => page.locator('li.account > details > summary .name').allInnerTexts();

  it('is served from web/dist: redirect to /dashboard/, CSP on the page, immutable hashed assets', async () => {
    const redirect = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/dashboard/');
    const page = await fetch(`${base}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    for (const asset of assets) {
      const res = await fetch(`${base}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
    expect((await fetch(`${base}/dashboard/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/dashboard/%2e%2e%2fpackage.json`)).status).toBe(404);
  });

  it('shows every seeded account of every source as a tree with consumption and a cost-per-day chart', async () => {
    const { page, problems } = await open();
    await expect.poll(() => shownAccounts(page)).toEqual(accounts.map((a) => a.name));
    // Sources are all up: no banner, every source ticked.
    expect(await page.locator('.banner').allInnerTexts()).toEqual([]);
    const sourceIds = [...new Set(accounts.map((a) => a.source))];
    expect(sourceIds).toEqual(PROVIDERS.map((p) => p.sourceId));
    for (const { sourceId, displayName } of PROVIDERS) {
      const source = page.locator(`.sources li[data-source="${sourceId}"]`);
      expect(await source.getAttribute('class')).toBe('source ok');
      // Labelled with its provider's display name, as is each of its accounts.
      expect(await source.innerText()).toContain(`(${displayName})`);
      for (const account of accounts.filter((a) => a.source === sourceId))
        expect(
          await page.locator(`li.account[data-account="${account.id}"] > details > summary .source`).innerText(),
        ).toContain(displayName);
    }
    // OpenvCloud's NASA: consumption chips, cloudspaces that open onto machines.
    const nasa = page.locator('li.account', { has: page.locator('summary .name', { hasText: /^NASA$/ }) });
    await expect
      .poll(() => nasa.locator(':scope > details > summary .chip').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringMatching(/^CU 33,135\.14 CU-hours$/)]));
    const cloudspace = nasa.locator('li.cloudspace').first();
    await cloudspace.locator('summary').click();
    expect(await cloudspace.locator('li.machine .name').first().innerText()).toBe('Voyager golden archive');
    expect(await cloudspace.locator('li.machine').first().innerText()).toContain('CU 11,904 CU-hours');
    // One bar chart per currency, one bar per day of October.
    const report = await h.query(
      `query($w: TimeWindow!) { usageReport(window: $w, granularity: DAY) { totals { currency } virtualTotals { currency } } }`,
      { w: WINDOW },
    );
    const { totals, virtualTotals } = report.body.data!.usageReport;
    const currencies = [...totals, ...virtualTotals].map((t: { currency: string }) => t.currency).sort();
    expect(currencies.length).toBeGreaterThan(0);
    expect(
      await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-currency'))),
    ).toEqual(currencies);
    expect(await page.locator('svg.chart').first().locator('rect.bar').count()).toBe(31);
    await screenshot(page, 'dashboard.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(PROVIDERS)(
    'shows a banner for a failing $displayName source while the other sources still render',
    async ({ sourceId, displayName, expectations }) => {
      // A gateway of its own: enough failed calls open the source's circuit breaker, which would
      // still be open for the next case (the simulators are seeded alike, so are their accounts).
      const own = await startGateway();
      try {
        own.sims[sourceId]!.injectFault({ ...expectations.consumptionCalls, fault: { kind: 'status', status: 503 } });
        await expectBanner(own.url.replace(/\/graphql$/, ''), sourceId, displayName);
      } finally {
        await own.close();
      }
    },
  );

  /** The dashboard at `at` with `sourceId` failing: its banner, its accounts listed without consumption, the rest intact. */
  async function expectBanner(at: string, sourceId: string, displayName: string): Promise<void> {
    const { page, problems } = await open('/dashboard/', at);
    const banner = page.locator(`.banner[data-source="${sourceId}"]`);
    await banner.waitFor({ timeout: 15_000 });
    const text = await banner.innerText();
    expect(text).toContain('UPSTREAM_UNAVAILABLE');
    expect(text).toContain(displayName);
    expect(text).toContain('Data from the other sources is still shown.');
    // Only this source is failing.
    expect(await page.locator('.banner').evaluateAll((els) => els.map((e) => e.getAttribute('data-source')))).toEqual([
      sourceId,
    ]);
    expect(await page.locator(`.sources li[data-source="${sourceId}"]`).getAttribute('class')).toBe('source failing');
    // Partial data: every account (this source's too, its list still answers) is listed…
    await expect.poll(() => shownAccounts(page)).toEqual(accounts.map((a) => a.name));
    // …this source's consumption is marked unavailable, the other sources' accounts are not.
    const unavailable = (id: string) =>
      page.locator(`li.account[data-account="${id}"] > details > summary .unavailable`);
    const failing = accounts.filter((a) => a.source === sourceId);
    expect(failing.length).toBeGreaterThan(0);
    for (const account of failing) expect(await unavailable(account.id).innerText()).toBe('consumption unavailable');
    for (const other of accounts.filter((a) => a.source !== sourceId))
      expect(await unavailable(other.id).count(), other.name).toBe(0);
    await screenshot(page, `dashboard-source-failing-${sourceId}.png`);
    // A 503 answer from /graphql would be a console error; GraphQL partial failures are not.
    expect(problems).toEqual([]);
    await page.close();
  }

  it('re-queries for the picked window and keeps it in the URL', async () => {
    const { page } = await open('/dashboard/?from=2026-10-25&to=2026-11-01');
    expect(await page.locator('svg.chart').first().locator('rect.bar').count()).toBe(7);
    const request = page.waitForRequest(
      (r) =>
        r.url().endsWith('/graphql') &&
        (r.postData() ?? '').includes('2026-11-01T00:00:00Z') &&
        (r.postData() ?? '').includes('2026-12-01T00:00:00Z'),
    );
    await page.getByRole('button', { name: 'November 2026' }).click();
    await request;
    await expect.poll(() => page.url()).toContain('from=2026-11-01&to=2026-12-01');
    await expect
      .poll(() => page.locator('svg.chart').first().locator('rect.bar').count(), { timeout: 15_000 })
      .toBe(30);
    await page.close();
  });
});
