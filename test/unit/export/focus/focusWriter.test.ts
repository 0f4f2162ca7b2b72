import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeFocusRows } from '../../../../src/export/focus/focusWriter.js';

async function written(rows: Record<string, string | null>[], format: 'csv' | 'jsonl'): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  async function* source() {
    yield* rows;
  }
  await writeFocusRows(source(), ['A', 'B'], format, out);
  return Buffer.concat(chunks).toString('utf8');
}

describe('writeFocusRows', () => {
  it('writes RFC 4180 CSV: a header, CRLF records, quotes around commas, quotes and line breaks, null as an empty cell', async () => {
    const text = await written(
      [
        { A: '1.50', B: null },
        { A: 'a,b', B: 'say "hi"\nthere' },
      ],
      'csv',
    );
    expect(text).toBe('A,B\r\n1.50,\r\n"a,b","say ""hi""\nthere"\r\n');
  });

  it('writes JSON Lines with every column, null as null and amounts as strings', async () => {
    const text = await written([{ A: '1.50', B: null }], 'jsonl');
    expect(text).toBe('{"A":"1.50","B":null}\n');
  });

  it('stops pulling rows when the destination is destroyed', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield { A: 'x'.repeat(100), B: null };
      }
    }
    const done = writeFocusRows(endless(), ['A', 'B'], 'csv', out);
    await new Promise((r) => setTimeout(r, 20));
    out.destroy();
    await expect(done).rejects.toThrow();
    const atStop = pulled;
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).toBe(atStop);
    expect(pulled).toBeLessThan(1000);
  });

  it('pulls rows only as fast as the destination takes them (a stalled reader holds the export)', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield { A: 'x'.repeat(100), B: null };
      }
    }
    const done = writeFocusRows(endless(), ['A', 'B'], 'csv', out).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    // The buffers of the pipeline's three stages, a few hundred rows: not a stream read to its end.
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(1000);
    out.destroy();
    await done;
  });
});
