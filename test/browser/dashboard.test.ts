/**
 * The React dashboard at /dashboard in Chromium, over every simulator: the seeded accounts as a
 * tree with consumption, cost per day, and a per-source banner (with the other sources still
 * rendered) when one simulator fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, watchPage } from '../helpers/browser.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

describe('dashboard', () => {
  let h: FullHarness;
  let base: string;
  let browser: Browser;
  /** Every account the API lists, as the dashboard should show them. */
  let accounts: { name: string; source: string }[];

  beforeAll(async () => {
    // A generous upstream timeout: this test is about rendering, and the 2-core machine is shared.
    const slowOk = { timeoutMs: 20_000 };
    const sourceOverrides = Object.fromEntries(['g8', 'kb', 'hs', 'civitai', 'theirstack'].map((id) => [id, slowOk]));
    // The request deadline must not cut the generous timeout short.
    [h, browser] = await Promise.all([
      startFullHarness({ sourceOverrides, limits: { requestTimeoutMs: 30_000 } }),
      launchChromium(),
    ]);
    base = h.url.replace(/\/graphql$/, '');
    const res = await h.query(
      `{ accounts(first: 500) { edges { node { name providerId source { id } } } errors { code } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.errors).toEqual([]);
    accounts = res.body.data!.accounts.edges.map((e) => ({
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

  async function open(path = '/dashboard/'): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
    const { problems } = watchPage(page);
    await page.goto(`${base}${path}`);
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
    for (const id of sourceIds)
      expect(await page.locator(`.sources li[data-source="${id}"]`).getAttribute('class')).toBe('source ok');
    // OpenvCloud's NASA: consumption chips, cloudspaces that open onto machines.
    const nasa = page.locator('li.account', { has: page.locator('summary .name', { hasText: /^NASA$/ }) });
    await expect
      .poll(() => nasa.locator(':scope > details > summary .chip').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringMatching(/^CU 33,135\.14 CU-hours$/)]));
    const cloudspace = nasa.locator('li.cloudspace').first();
    await cloudspace.locator('summary').click();
    expect(await cloudspace.locator('li.machine .name').first().innerText()).toBe('Voyager golden archive');
    expect(await cloudspace.locator('li.machine').first().innerText()).toContain('CU 11,904.00 CU-hours');
    // One bar chart per currency, one bar per day of October.
    const report = await h.query(
      `query($w: TimeWindow!) { usageReport(window: $w, granularity: DAY) { totals { currency } } }`,
      { w: WINDOW },
    );
    const currencies = report.body.data!.usageReport.totals.map((t: { currency: string }) => t.currency).sort();
    expect(currencies.length).toBeGreaterThan(0);
    expect(
      await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-currency'))),
    ).toEqual(currencies);
    expect(await page.locator('svg.chart').first().locator('rect.bar').count()).toBe(31);
    await screenshot(page, 'dashboard.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a banner for a failing source while the other sources still render', async () => {
    h.sims.g8!.injectFault({ route: 'billing/calculate', fault: { kind: 'status', status: 503 } });
    const { page, problems } = await open();
    const banner = page.locator('.banner[data-source="g8"]');
    await banner.waitFor({ timeout: 15_000 });
    const text = await banner.innerText();
    expect(text).toContain('UPSTREAM_UNAVAILABLE');
    expect(text).toMatch(/OpenvCloud/);
    expect(text).toContain('Data from the other sources is still shown.');
    // Only g8 is failing.
    expect(await page.locator('.banner').evaluateAll((els) => els.map((e) => e.getAttribute('data-source')))).toEqual([
      'g8',
    ]);
    expect(await page.locator('.sources li[data-source="g8"]').getAttribute('class')).toBe('source failing');
    // Partial data: every account (g8's too, its list still answers) is listed…
    await expect.poll(() => shownAccounts(page)).toEqual(accounts.map((a) => a.name));
    // …g8's consumption is marked unavailable, the other sources' accounts are not.
    const g8Account = page.locator('li.account', { has: page.locator('summary .name', { hasText: /^NASA$/ }) });
    expect(await g8Account.locator(':scope > details > summary .unavailable').innerText()).toBe(
      'consumption unavailable',
    );
    for (const other of accounts.filter((a) => a.source !== 'g8')) {
      const li = page.locator('li.account', { has: page.locator('summary .name', { hasText: other.name }) }).first();
      expect(await li.locator(':scope > details > summary .unavailable').count(), other.name).toBe(0);
    }
    await screenshot(page, 'dashboard-source-failing.png');
    // A 503 answer from /graphql would be a console error; GraphQL partial failures are not.
    expect(problems).toEqual([]);
    await page.close();
  });

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
