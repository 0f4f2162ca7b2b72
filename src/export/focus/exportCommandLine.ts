/**
 * `billgraph export focus`'s command line: its options and usage text. Apart from src/exportFocus.ts
 * (a program: it runs when imported) so it can be tested. The options carry the names of
 * GET /export/focus's query parameters and mean the same.
 */
export const EXPORT_OPTIONS = {
  config: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  granularity: { type: 'string' },
  format: { type: 'string' },
  version: { type: 'string' },
  sources: { type: 'string' },
  virtual: { type: 'string' },
  unpriced: { type: 'string' },
  out: { type: 'string' },
} as const;

export const EXPORT_USAGE = `Usage: npm run export -- focus --start DATE --end DATE [options]
       (the built output: node dist/main.js export focus ...)

Writes the FOCUS 1.3 Cost and Usage rows of every source (docs/focus.md), from the usage ledger
and, for what it does not hold, from the sources: the same rows as GET /export/focus.

Options:
  --start DATE          first day (or hour, month) exported: YYYY-MM-DD or an RFC 3339 instant, UTC. Required
  --end DATE            first day not exported (exclusive). Required
  --granularity G       HOUR, DAY or MONTH: the charge period of a row. Default: DAY
  --format F            csv or jsonl. Default: csv
  --version V           1.3 or 1.2 (drops the columns 1.2 lacks). Default: 1.3
  --sources A,B         only these sources (their ids in the config). Default: every source
  --virtual skip        leave out rows in a virtual currency without a rate (counted). Default: refuse
  --unpriced skip       leave out rows without a cost (counted). Default: refuse
  --out FILE            write here (replaced only once the export is whole). Default: standard output
  --config FILE         the configuration file (as for npm start). Default: BILLGRAPH_CONFIG, else the demo
  -h, --help            print this and exit
`;

/** The command line's values as the query parameters of GET /export/focus. */
export function exportParams(
  values: Partial<Record<keyof typeof EXPORT_OPTIONS, string>>,
): Record<string, string | undefined> {
  const { config: _config, out: _out, ...params } = values;
  return params;
}
