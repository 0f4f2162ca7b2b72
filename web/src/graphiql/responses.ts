/**
 * What the last GraphQL request over HTTP answered: status, time and headers, recorded by a
 * fetch wrapper that GraphiQL's fetcher calls, and read by the "Response details" plugin and the
 * footer through useSyncExternalStore.
 */
import { useSyncExternalStore } from 'react';

export interface ResponseRecord {
  /** The operation's name from the request body, if any. */
  readonly operationName: string | null;
  readonly status: number;
  readonly statusText: string;
  /** From the request to the whole body read, in milliseconds. */
  readonly ms: number;
  /** Body size in bytes (after decoding). */
  readonly bytes: number;
  /** Response headers as the browser exposes them (same-origin: all but Set-Cookie). */
  readonly headers: readonly (readonly [string, string])[];
}

let last: ResponseRecord | null = null;
const listeners = new Set<() => void>();

function publish(record: ResponseRecord): void {
  last = record;
  for (const listener of listeners) listener();
}

export function useLastResponse(): ResponseRecord | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => last,
  );
}

function operationNameOf(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  try {
    const parsed = JSON.parse(body) as { operationName?: unknown };
    return typeof parsed.operationName === 'string' ? parsed.operationName : null;
  } catch {
    return null;
  }
}

/**
 * A fetch that times the request, reads the whole body, and records status and headers. GraphiQL's
 * own introspection request is not recorded (it would replace the answer the user asked for).
 */
export function recordingFetch(onResponse?: (record: ResponseRecord) => void): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    const body = await response.text();
    const record: ResponseRecord = {
      operationName: operationNameOf(init?.body),
      status: response.status,
      statusText: response.statusText,
      ms: performance.now() - started,
      bytes: new TextEncoder().encode(body).length,
      headers: [...response.headers.entries()],
    };
    if (record.operationName !== 'IntrospectionQuery') publish(record);
    onResponse?.(record);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}
