/**
 * GraphiQL and the dashboard in front of a gateway with tenants: each asks for the API key,
 * sends it as `Authorization: Bearer`, and then shows what that tenant may see.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/security/tenantAuth.js';
import { PLAYGROUND_EXAMPLE_QUERY, PLAYGROUND_EXAMPLE_VARIABLES } from '../../src/web/playground.js';
import { launchChromium, screenshot, watchPage } from '../helpers/browser.js';
import { postGraphQL, startFullHarness, type FullHarness } from '../helpers/harness.js';
import { overEverySource } from '../helpers/providers.js';

const KEY = 'browser-tenant-key-42';

describe('browser clients of a gateway with tenants', () => {
  let h: FullHarness;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    const slowOk = overEverySource({ timeoutMs: 20_000 });
    [h, browser] = await Promise.all([
      startFullHarness({
        sourceOverrides: slowOk,
        config: { tenants: [{ name: 'finops', keySha256: keySha256(KEY), sources: ['g8', 'civitai'] }] },
      }),
      launchChromium(),
    ]);
    base = h.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('GraphiQL asks for the key, puts it in the headers editor, and runs the example with it', async () => {
    const expected = await postGraphQL(h.url, PLAYGROUND_EXAMPLE_QUERY, JSON.parse(PLAYGROUND_EXAMPLE_VARIABLES), {
      authorization: `Bearer ${KEY}`,
    });
    expect(expected.body.errors).toBeUndefined();
    const accountName = expected.body.data!.accounts.edges[0].node.name as string;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const { problems } = watchPage(page);
    const authorizations: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql') && r.method() === 'POST') authorizations.push(r.headers().authorization);
    });
    await page.goto(`${base}/`);
    const form = page.locator('#billgraph-key');
    await form.waitFor();
    expect(await page.locator('.graphiql-query-editor').count()).toBe(0);
    await page.locator('#billgraph-key-input').fill(KEY);
    await form.getByRole('button', { name: 'Use key' }).click();
    await page.locator('.graphiql-query-editor .view-lines').waitFor();
    // The headers editor is open and holds the key.
    const headerEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
    await expect
      .poll(() => headerEditor.locator('.view-lines').innerText())
      .toMatch(/"Authorization":\s"Bearer\sbrowser-tenant-key-42"/);
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => page.locator('.result-window .view-lines').innerText(), { timeout: 15_000 })
      .toContain(accountName);
    await expect.poll(() => page.getByTestId('response-line').innerText()).toMatch(/^HTTP 200 OK/);
    await screenshot(page, 'graphiql-with-key.png');
    expect(authorizations.length).toBeGreaterThan(0);
    expect(authorizations.every((a) => a === `Bearer ${KEY}`)).toBe(true);

    // What the headers editor says is what is sent: another key there is sent, and refused.
    await headerEditor.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{ "Authorization": "Bearer not-a-key" }');
    // Monaco closed the "{" itself: drop what follows the cursor.
    await page.keyboard.press('Shift+ControlOrMeta+End');
    await page.keyboard.press('Delete');
    await expect
      .poll(() => headerEditor.locator('.view-lines').innerText())
      .toMatch(/^\{\s"Authorization":\s"Bearer\snot-a-key"\s\}$/);
    const refused = page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST');
    await page.locator('.graphiql-execute-button').click();
    expect((await refused).headers().authorization).toBe('Bearer not-a-key');
    await expect.poll(() => page.getByTestId('response-line').innerText()).toMatch(/^HTTP 401 Unauthorized/);
    expect(await page.locator('#billgraph-banner').innerText()).toContain('The API key was refused (HTTP 401)');
    await screenshot(page, 'graphiql-key-refused.png');
    expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
    await page.close();
  }, 60_000);

  it('the dashboard asks for the key after a 401, then shows only the tenant’s sources', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await page.goto(`${base}/dashboard/`);
    const form = page.getByRole('form', { name: 'API key' });
    await form.waitFor({ timeout: 15_000 });
    await form.getByRole('textbox', { name: 'API key' }).fill(KEY);
    await form.getByRole('button', { name: 'Use key' }).click();
    await page.locator('body[data-rendered="true"]').waitFor({ timeout: 15_000 });
    const shown = await page
      .locator('.sources li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-source')));
    expect(shown).toEqual(['g8', 'civitai']);
    // The totals table lists the tenant's sources only.
    const rows = await page
      .locator('table.totals-table tbody tr')
      .evaluateAll((items) => items.map((tr) => tr.getAttribute('data-row')));
    expect(rows.sort()).toEqual(['civitai', 'g8']);
    await screenshot(page, 'dashboard-with-key.png');
    await page.close();
  });
});
