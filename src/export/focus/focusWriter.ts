/**
 * Writes FOCUS rows to a stream as CSV (csv-stringify: RFC 4180 quoting, CRLF records, a header
 * row, an empty cell for null) or JSON Lines (one object per line, every column, null as null,
 * amounts as decimal strings so no reader turns them into floats). Backpressure and a destination
 * that closes early propagate to the rows' generator through pipeline(), which stops the export.
 */
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { FocusRow } from './focusColumns.js';
import type { FocusFormat } from './focusExport.js';

/** The media type of a format's body. */
export const MEDIA_TYPES: Record<FocusFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/jsonl; charset=utf-8',
};

export async function writeFocusRows(
  rows: AsyncIterable<FocusRow>,
  columns: readonly string[],
  format: FocusFormat,
  out: Writable,
  signal?: AbortSignal,
): Promise<void> {
  const encode =
    format === 'csv'
      ? stringify({ header: true, columns: [...columns], record_delimiter: 'windows', quoted_match: /^\s|\s$/ })
      : new Transform({
          writableObjectMode: true,
          transform(row: FocusRow, _encoding, done) {
            done(null, `${JSON.stringify(row)}\n`);
          },
        });
  await pipeline(Readable.from(rows), encode, out, ...(signal ? [{ signal }] : []));
}
