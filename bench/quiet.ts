// Imported first by bench/run.ts: the logger reads BILLGRAPH_LOG when it is loaded, before any
// statement of run.ts runs, so the default has to be set by an earlier import.
process.env.BILLGRAPH_LOG ??= 'silent';
