import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../../src/lib/listen.js';

const servers: Server[] = [];
const server = (): Server => {
  const s = createServer((_req, res) => res.end('ok'));
  servers.push(s);
  return s;
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('listen', () => {
  it('resolves to the IPv4 origin with the port the system chose', async () => {
    const s = server();
    const origin = await listen(s, 0, '127.0.0.1');
    const { port } = s.address() as { port: number };
    expect(port).toBeGreaterThan(0);
    expect(origin).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(origin)).text()).toBe('ok');
  });

  it('brackets an IPv6 address in the origin', async () => {
    const s = server();
    let origin: string;
    try {
      origin = await listen(s, 0, '::1');
    } catch (error) {
      // A machine without IPv6 loopback cannot run this case.
      expect((error as NodeJS.ErrnoException).code).toMatch(/EADDRNOTAVAIL|EAFNOSUPPORT/);
      return;
    }
    const { port } = s.address() as { port: number };
    expect(origin).toBe(`http://[::1]:${port}`);
  });

  it('rejects with the listen error when the port is taken, and leaves no error listener behind', async () => {
    const first = server();
    const origin = await listen(first, 0, '127.0.0.1');
    const port = Number(new URL(origin).port);
    const second = server();
    await expect(listen(second, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(second.listenerCount('error')).toBe(0);
  });

  it('removes its error listener once listening', async () => {
    const s = server();
    const before = s.listenerCount('error');
    await listen(s, 0, '127.0.0.1');
    expect(s.listenerCount('error')).toBe(before);
  });
});
