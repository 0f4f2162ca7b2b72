import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';

/** A request without a socket: its body is whatever the test writes into it. */
export function fakeRequest(options: {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
}): IncomingMessage & Pick<PassThrough, 'write' | 'end'> & { socketDestroyed: () => boolean } {
  const body = new PassThrough();
  let destroyed = false;
  return Object.assign(body, {
    method: options.method ?? 'GET',
    url: options.url ?? '/',
    headers: options.headers ?? {},
    socket: { destroy: () => void (destroyed = true) },
    socketDestroyed: () => destroyed,
  }) as unknown as IncomingMessage & Pick<PassThrough, 'write' | 'end'> & { socketDestroyed: () => boolean };
}

/** A response that keeps what is written to it. */
export class FakeResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  readonly headers: Record<string, string | number | readonly string[]> = {};
  body = '';

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string) {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    this.headersSent = true;
    return this;
  }
  write(chunk: string | Buffer): boolean {
    this.headersSent = true;
    this.body += String(chunk);
    return true;
  }
  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    this.emit('finish');
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
  json(): unknown {
    return JSON.parse(this.body);
  }
  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

/** The response's 'finish' (or nothing within `ms`). */
export const finished = (res: FakeResponse, ms = 1000): Promise<void> =>
  res.writableEnded
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer')), ms);
        res.once('finish', () => {
          clearTimeout(timer);
          resolve();
        });
      });
