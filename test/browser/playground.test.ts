/**
 * GraphiQL at `/`: served by billgraph from node_modules (no CDN), under a strict CSP, and it
 * really works in Chromium — the saved example runs and the answer panel shows the data.
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

  it('serves the page at / and at /graphql for a browser, with a strict CSP and no inline script', async () => {
    for (const path of ['/', '/graphql']) {
      const res = await fetch(`${base}${path}`, { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/unsafe-(inline|eval)|https?:|\*/);
      const html = await res.text();
      expect(html).toContain('<title>billgraph · GraphiQL</title>');
      // No executable inline script, no style attribute, nothing fetched from another host.
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBe(5);
      for (const [, attrs, body] of scripts) {
        if (/type="application\/json"/.test(attrs!)) continue;
        expect(attrs).toMatch(/src="\/playground\/assets\//);
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

  it('serves every asset the page names from node_modules, with its content type, immutable caching, ETag and gzip', async () => {
    const html = await (await fetch(`${base}/`, { headers: HTML })).text();
    const urls = [...html.matchAll(/(?:src|href)="(\/playground\/assets\/[^"]+)"/g)].map((m) =>
      m[1]!.replace(/&amp;/g, '&'),
    );
    expect(urls.map((u) => u.replace(/\?.*/, '')).sort()).toEqual(
      [
        '/playground/assets/graphiql.min.css',
        '/playground/assets/graphiql.min.js',
        '/playground/assets/playground.css',
        '/playground/assets/playground.js',
        '/playground/assets/react-dom.production.min.js',
        '/playground/assets/react.production.min.js',
      ].sort(),
    );
    for (const url of urls) {
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(
        url.includes('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = res.headers.get('etag')!;
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
      const again = await fetch(`${base}${url}`, { headers: { 'if-none-match': etag } });
      expect(again.status, url).toBe(304);
    }
    const graphiql = await fetch(`${base}/playground/assets/graphiql.min.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(graphiql.headers.get('cache-control')).toBe('no-cache'); // unversioned URL: revalidate
    expect(graphiql.headers.get('content-encoding')).toBe('gzip');
    expect(await graphiql.text()).toContain('GraphiQL');
    expect(
      (await fetch(`${base}/playground/assets/react.production.min.js?v=wrong`)).headers.get('cache-control'),
    ).toBe('no-cache');
    expect((await fetch(`${base}/playground/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/playground/assets/..%2fpackage.json`)).status).toBe(404);
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
    await page.locator('.graphiql-query-editor').waitFor();
    await expect
      .poll(() => page.locator('.graphiql-query-editor .CodeMirror-code').innerText())
      .toContain('query Traversal($window: TimeWindow!)');
    expect(await page.locator('.graphiql-editor-tool .CodeMirror-code').first().innerText()).toContain('"window"');

    await page.locator('.graphiql-execute-button').click();
    const answer = page.locator('.result-window');
    await expect.poll(() => answer.innerText(), { timeout: 15_000 }).toContain(account.name);
    expect(await answer.innerText()).toContain(machine);
    // The whole answer (not only the lines CodeMirror renders) is the API's answer.
    // Runs in the page; this tsconfig has no DOM types, so the one path it walks is spelt out.
    type Page = { document: { querySelector(selector: string): { CodeMirror: { getValue(): string } } } };
    const full = await page.evaluate(() =>
      (globalThis as unknown as Page).document.querySelector('.result-window .CodeMirror').CodeMirror.getValue(),
    );
    expect(JSON.parse(full)).toEqual(expected.body);
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
});

describe('GraphiQL playground with introspection off', () => {
  let sims: RunningSimulators;
  let gateway: Gateway;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    [sims, browser] = await Promise.all([startAllSimulators(), launchChromium()]);
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
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.result-window').innerText(), { timeout: 15_000 }).toContain('NASA');
    await screenshot(page, 'graphiql-no-introspection.png');
    expect(bodies.some((b) => b.includes('__schema'))).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});
