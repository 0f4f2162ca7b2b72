import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler wrote: status, headers (lower-case names) and body, without any socket. */
export interface Written {
  status: number | undefined;
  headers: Record<string, string | number>;
  body: Buffer | undefined;
  ended: boolean;
}

/** A request with only what the web handlers read: method and headers. */
export const fakeRequest = (method: string, headers: Record<string, string> = {}): IncomingMessage =>
  ({ method, headers }) as unknown as IncomingMessage;

/** A response that records writeHead and end. */
export function fakeResponse(): { res: ServerResponse; written: Written } {
  const written: Written = { status: undefined, headers: {}, body: undefined, ended: false };
  const res = {
    writeHead(status: number, headers: Record<string, string | number> = {}) {
      written.status = status;
      written.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      return res;
    },
    end(body?: Buffer | string) {
      written.ended = true;
      if (body !== undefined) written.body = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, written };
}
