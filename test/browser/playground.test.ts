/**
 * GraphiQL 5 at `/`: bundled by the Vite build (web/dist, no CDN), under a strict CSP, and it really
 * works in Chromium — the saved example runs and the answer panel shows the data, the response
 * details show status, time and headers, and GraphiQL and the dashboard link to each other.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/bootstrap.js';
import { startAllSimulators, type RunningSimulators } from '../../simulators/registry.js';
import { createGateway, type Gateway } from '../../src/server.js';
import { PLAYGROUND_EXAMPLE_QUERY, PLAYGROUND_EXAMPLE_VARIABLES } from '../../src/web/playground.js';
import { launchChromium, screenshot, watchPage } from '../helpers/browser.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('GraphiQL playground over HTTP', () => {
  let h: FullHarness;
  let base: string;
  beforeAll(async () => {
    h = await startFullHarness();
    base = h.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => h?.close());

  it('serves the page at / and at /graphql for a browser, with a strict CSP (inline styles only) and no inline script', async () => {
    for (const path of ['/', '/graphql']) {
      const res = await fetch(`${base}${path}`, { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      // Monaco (GraphiQL 5's editor) writes style attributes and a <style> element: see docs/browser.md.
      expect(csp).toContain("style-src 'self' 'unsafe-inline';");
      expect(csp).toContain("connect-src 'self'");
      expect(csp.replace("style-src 'self' 'unsafe-inline'", '')).not.toMatch(/unsafe-|https?:|\*/);
      const html = await res.text();
      expect(html).toContain('<title>billgraph · GraphiQL</title>');
      // No executable inline script, no style attribute, nothing fetched from another host.
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThanOrEqual(2);
      for (const [, attrs, body] of scripts) {
        if (/type="application\/json"/.test(attrs!)) continue;
        expect(attrs).toMatch(/type="module" crossorigin src="\/dashboard\/assets\/graphiql-[\w-]+\.js"/);
        expect(body).toBe('');
      }
      expect(html).not.toMatch(/\sstyle=|https?:\/\//);
      const settings = JSON.parse(
        html.match(/<script type="application\/json" id="billgraph-playground-settings">([\s\S]*?)<\/script>/)![1]!,
      );
      expect(settings).toEqual({
        endpoint: '/graphql',
        introspection: true,
        requiresKey: false,
        query: PLAYGROUND_EXAMPLE_QUERY,
        variables: PLAYGROUND_EXAMPLE_VARIABLES,
      });
    }
  });

  it('keeps /graphql a GraphQL endpoint for everything but a browser page view, and / a JSON index for JSON clients', async () => {
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ sources { id } }')}`, {
      headers: { ...HTML, 'apollo-require-preflight': 'true' },
    });
    expect(get.headers.get('content-type')).toMatch(/application\/(graphql-response\+)?json/);
    expect(((await get.json()) as { data: { sources: { id: string }[] } }).data.sources.map((s) => s.id)).toContain(
      'g8',
    );
    const plain = await fetch(`${base}/graphql`);
    expect(plain.headers.get('content-type')).not.toMatch(/html/);
    const index = await fetch(`${base}/`, { headers: { accept: 'application/json' } });
    expect(await index.json()).toMatchObject({ graphql: '/graphql' });
  });

  it('serves every asset the page names from the Vite build, with its content type, immutable caching, ETag and gzip', async () => {
    const html = await (await fetch(`${base}/`, { headers: HTML })).text();
    const urls = [...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.some((u) => /\/graphiql-[\w-]+\.js$/.test(u))).toBe(true);
    expect(urls.some((u) => u.endsWith('.css'))).toBe(true);
    for (const url of urls) {
      const res = await fetch(`${base}${url}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(
        url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-encoding'), url).toBe('gzip');
      const etag = res.headers.get('etag')!;
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
      const again = await fetch(`${base}${url}`, { headers: { 'if-none-match': etag } });
      expect(again.status, url).toBe(304);
    }
    // GraphiQL 3's single-file build and React's UMD builds are gone.
    expect((await fetch(`${base}/playground/assets/graphiql.min.js`)).status).toBe(404);
  });
});

describe('GraphiQL playground in Chromium', () => {
  let h: FullHarness;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    [h, browser] = await Promise.all([startFullHarness(), launchChromium()]);
    base = h.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opens on the saved traversal example, runs it, and shows account and machine names in the answer panel', async () => {
    const expected = await h.query(PLAYGROUND_EXAMPLE_QUERY, JSON.parse(PLAYGROUND_EXAMPLE_VARIABLES));
    expect(expected.body.errors).toBeUndefined();
    const account = expected.body.data!.accounts.edges[0].node;
    const machine = account.cloudspaces[0].machines[0].name as string;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const { problems, requests } = watchPage(page);
    await page.goto(`${base}/`);
    const query = page.locator('.graphiql-query-editor .view-lines');
    await query.waitFor();
    await expect.poll(() => query.innerText()).toMatch(/query\sTraversal\(\$window:\sTimeWindow!\)/);
    await expect
      .poll(() => page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines').innerText())
      .toContain('"window"');

    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && /Traversal/.test(r.request().postData() ?? ''),
    );
    await page.locator('.graphiql-execute-button').click();
    // The whole answer is the API's answer; the panel shows its first lines (Monaco renders what is in view).
    expect(await (await answered).json()).toEqual(expected.body);
    const answer = page.locator('.result-window .view-lines');
    await expect.poll(() => answer.innerText(), { timeout: 15_000 }).toContain(account.name);
    // Machines come further down than the panel shows at this size; the response above held them.
    expect(JSON.stringify(expected.body)).toContain(machine);
    await screenshot(page, 'graphiql.png');

    // Docs explorer, fed by introspection.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.innerText()).toContain('Query');
    await docs.getByText('Query', { exact: true }).first().click();
    await expect.poll(() => docs.innerText()).toContain('usageReport');
    await screenshot(page, 'graphiql-docs.png');

    expect(problems).toEqual([]);
    const origin = new URL(base).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('shows the last response’s HTTP status, time, size and headers (footer line and "Response details" plugin)', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const { problems } = watchPage(page);
    await page.goto(`${base}/`);
    await page.locator('.graphiql-query-editor .view-lines').waitFor();
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && /Traversal/.test(r.request().postData() ?? ''),
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    const line = page.getByTestId('response-line');
    await expect.poll(() => line.innerText(), { timeout: 15_000 }).toMatch(/^HTTP 200 OK · \d+ ms · [\d.]+ (kB|B)$/);

    await page.getByRole('button', { name: /response details/i }).click();
    const pane = page.getByRole('region', { name: 'Response details' });
    await pane.waitFor();
    expect(await pane.getByTestId('response-status').innerText()).toBe('200 OK');
    expect(await pane.getByTestId('response-time').innerText()).toMatch(/^\d+ ms$|^\d+\.\d\d s$/);
    expect(await pane.innerText()).toContain('Traversal');
    const headers = Object.fromEntries(
      await pane
        .getByTestId('response-headers')
        .locator('tr')
        .evaluateAll((rows) =>
          rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent]),
        ),
    ) as Record<string, string>;
    expect(headers['content-type']).toBe(response.headers()['content-type']);
    expect(headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
    await screenshot(page, 'graphiql-response-details.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('links to the dashboard, and the dashboard links back to GraphiQL', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const { problems } = watchPage(page);
    await page.goto(`${base}/`);
    const toDashboard = page.getByRole('link', { name: 'Dashboard' });
    await toDashboard.waitFor();
    expect(await toDashboard.getAttribute('href')).toBe('/dashboard/');
    await toDashboard.click();
    await page.waitForURL(`${base}/dashboard/`);
    const toGraphiQL = page.getByRole('link', { name: 'GraphiQL' });
    await toGraphiQL.waitFor({ timeout: 15_000 });
    await toGraphiQL.click();
    await page.waitForURL(`${base}/`);
    await page.locator('.graphiql-query-editor .view-lines').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('GraphiQL playground with introspection off', () => {
  let sims: RunningSimulators;
  let gateway: Gateway;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    [sims, browser] = await Promise.all([startAllSimulators({ precision: true }), launchChromium()]);
    const config = validateConfig(
      { introspection: false, sources: sims.config.sources, ledger: { enabled: false } },
      'playground test',
      process.env,
    );
    gateway = createGateway({ config, stopGracePeriodMs: 500 });
    base = (await gateway.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await sims?.close();
  });

  it('says so on the page, sends no introspection query, and still runs queries', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const { problems } = watchPage(page);
    const bodies: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) bodies.push(r.postData() ?? '');
    });
    await page.goto(`${base}/`);
    const banner = page.locator('#billgraph-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(
      /Introspection is turned off on this server.*"introspection": false.*Queries still run/s,
    );
    await page.locator('.graphiql-query-editor .view-lines').waitFor();
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => page.locator('.result-window .view-lines').innerText(), { timeout: 15_000 })
      .toContain('NASA');
    await screenshot(page, 'graphiql-no-introspection.png');
    expect(bodies.some((b) => b.includes('__schema'))).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});
