/** Saving what the page shows: the FOCUS export of the view (from the gateway) and the totals table as CSV. */
import { stringify } from 'csv-stringify/browser/esm/sync';
import { storedApiKey } from './apiKey';

/** Hands `blob` to the browser as a file download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started; a tick later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** RFC 4180 CSV with a header row, by csv-stringify. */
export function csvOf(records: readonly (readonly string[])[]): string {
  return stringify(records as string[][]);
}

/** GET /export/focus's query string for a window and (optionally) some sources. */
export function focusExportUrl(input: { start: string; end: string; sources: readonly string[] }): string {
  const p = new URLSearchParams({ start: input.start, end: input.end, granularity: 'DAY', format: 'csv' });
  if (input.sources.length) p.set('sources', input.sources.join(','));
  return `/export/focus?${p}`;
}

/**
 * Fetches the export with the tenant's key (a plain link cannot send it) and saves it under the gateway's own
 * file name. Resolves to null when saved, else to the gateway's message (what to change).
 */
export async function downloadFocus(url: string): Promise<string | null> {
  const key = storedApiKey();
  const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { errors?: { message?: string }[] } | null;
    return body?.errors?.[0]?.message ?? `The export failed (HTTP ${res.status}).`;
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'billgraph-focus.csv';
  saveBlob(await res.blob(), name);
  return null;
}
