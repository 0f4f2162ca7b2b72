import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import {
  DashboardAccountsDocument,
  DashboardReportDocument,
  type ReportDimension,
  type UsageFilter,
} from './gql/graphql';
import { CostChart } from './components/CostChart';
import { ErrorBanners } from './components/ErrorBanners';
import { FilterBar } from './components/FilterBar';
import { Freshness } from './components/Freshness';
import { KeyForm } from './components/KeyForm';
import { TotalsTable } from './components/TotalsTable';
import { VirtualNote } from './components/VirtualNote';
import { isUnauthenticated, storeApiKey, storedApiKey } from './apiKey';
import { collectProblems } from './errors';
import { csvOf, downloadFocus, focusExportUrl, saveBlob } from './download';
import { loadECharts } from './chart/loadECharts';
import { chartsOf } from './report/chartData';
import { groupId, groupLabel, partOf } from './report/groupKey';
import { tableOf, tableRecords, type TableRow } from './report/tableRows';
import { presetRange, timeWindowOf, todayIn, upToToday, type DayRange } from './view/presets';
import { searchOfView, viewFromSearch, type ViewState } from './view/viewState';

function Header({ children }: { children?: ReactNode }) {
  return (
    <header>
      <h1>
        billgraph <span className="muted">dashboard</span>
      </h1>
      {children}
    </header>
  );
}

/** The page's clock, ticking each minute (the "today" line, "synced 5 minutes ago"). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The view, kept in the URL: each change is a history entry, so Back undoes a drill-down. */
function useView(): [ViewState, (patch: Partial<ViewState>) => void] {
  const [view, setView] = useState(() => viewFromSearch(location.search));
  useEffect(() => {
    const back = () => setView(viewFromSearch(location.search));
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  }, []);
  const change = useCallback((patch: Partial<ViewState>) => {
    setView((v) => {
      const next = { ...v, ...patch };
      const search = searchOfView(next);
      if (search !== location.search) history.pushState(null, '', `${location.pathname}${search}`);
      return next;
    });
  }, []);
  return [view, change];
}

/** The table's grouping at this drill level, and its column headings. */
function tableLevel(view: ViewState): { by: ReportDimension[]; headings: string[]; drillable: boolean } {
  // An account's parts (cloudspaces, subscriptions) and the resources in each: Kill Bill bills subscriptions,
  // not resources, so a resource column alone would show one "Unallocated" row.
  if (view.drillAccount)
    return { by: ['SUB_ACCOUNT', 'RESOURCE'], headings: ['Cloudspace or subscription', 'Resource'], drillable: false };
  if (view.drillSource) return { by: ['ACCOUNT'], headings: ['Account'], drillable: true };
  return view.table === 'ACCOUNT'
    ? { by: ['SOURCE', 'ACCOUNT'], headings: ['Source', 'Account'], drillable: true }
    : { by: ['SOURCE'], headings: ['Source'], drillable: true };
}

const moneyMap = (list: readonly { amount: string; currency: string }[] | undefined) =>
  new Map((list ?? []).map((m) => [m.currency, m.amount]));

export function App() {
  const [view, change] = useView();
  const now = useNow();
  const today = todayIn(view.timeZone, now);
  /** The days the view names (a preset's or the custom ones), and the part of them up to today that is asked. */
  const named: DayRange = view.preset === 'custom' ? { from: view.from, to: view.to } : presetRange(view.preset, today);
  const range = upToToday(named, today);
  const window_ = useMemo(() => timeWindowOf(range, view.timeZone), [range.from, range.to, view.timeZone]);

  const filter: UsageFilter = {
    ...(view.providers.length ? { providers: [...view.providers] as UsageFilter['providers'] } : {}),
    ...(view.drillSource ? { sources: [view.drillSource] } : view.sources.length ? { sources: [...view.sources] } : {}),
    ...(view.drillAccount
      ? { accounts: [view.drillAccount] }
      : view.accounts.length
        ? { accounts: [...view.accounts] }
        : {}),
  };
  const level = tableLevel(view);

  const report = useQuery(DashboardReportDocument, {
    variables: { window: window_, step: view.step, chartBy: [view.stack], tableBy: level.by, filter },
    errorPolicy: 'all',
    notifyOnNetworkStatusChange: true,
    // Reports are not normalised into the cache: writing and reading back a year of series cost more main-thread
    // time than the request (profiled: ~140 ms of cache writes on the month view), and no other query reads them.
    fetchPolicy: 'no-cache',
  });
  const data = report.data ?? report.previousData;
  // ECharts is fetched once the report request has left (this effect runs after the first render sent it).
  useEffect(() => void loadECharts(), []);
  // The account list (the filter's options, names in the crumbs) waits for the first answer: its listing calls
  // would share the gateway with the report's and delay the first render.
  const meta = useQuery(DashboardAccountsDocument, { errorPolicy: 'all', skip: !data && !report.error });

  const sources = data?.sources ?? [];
  const accounts = useMemo(
    () =>
      meta.data?.accounts.edges.map(({ node }) => ({
        id: node.id,
        name: node.name ?? node.providerId,
        sourceId: node.source.id,
      })) ?? [],
    [meta.data],
  );
  const problems = useMemo(
    () =>
      collectProblems({
        sourceErrors: [
          { list: meta.data?.accounts.errors, where: 'account list' },
          { list: data?.chart.errors, where: 'cost over time' },
          { list: data?.table.errors, where: 'totals' },
        ],
        operationErrors: [
          { error: meta.error, where: 'sources and accounts' },
          { error: report.error, where: 'cost report' },
        ],
        sourceNames: new Map(sources.map((s) => [s.id, { name: s.name, provider: s.provider }])),
      }),
    [meta.data, meta.error, data, report.error, sources],
  );
  const failing = new Set(problems.sources.map((p) => p.sourceId));

  const charts = useMemo(
    () =>
      chartsOf(
        (data?.chart.groups.edges ?? []).map(({ node }) => ({
          id: groupId(node.key),
          label: groupLabel(node.key),
          others: node.others,
          groupCount: node.groupCount,
          series: node.series,
        })),
      ),
    [data],
  );
  const table = useMemo(
    () =>
      tableOf(
        (data?.table.groups.edges ?? []).map(({ node }) => node),
        {
          sort: view.sort,
          descending: view.descending,
          top: view.top,
          sourceId: view.drillSource,
          unpricedMetrics: data?.table.unpricedMetrics ?? [],
        },
      ),
    [data, view.sort, view.descending, view.top, view.drillSource],
  );

  // The first time the charts and the table are on screen: a mark the browser test reads (render timing).
  const drawnCharts = useRef(new Set<string>());
  const [allDrawn, setAllDrawn] = useState(false);
  const onDrawn = useCallback(
    (currency: string) => {
      drawnCharts.current.add(currency);
      if (charts.every((c) => drawnCharts.current.has(c.currency))) setAllDrawn(true);
    },
    [charts],
  );
  const drawn = !!data && !report.loading && (charts.length === 0 || allDrawn);
  useEffect(() => {
    if (!drawn) return;
    requestAnimationFrame(() => {
      if (!performance.getEntriesByName('billgraph:first-render').length) performance.mark('billgraph:first-render');
      document.body.dataset.rendered = 'true';
    });
  }, [drawn]);

  const [exportProblem, setExportProblem] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  if (isUnauthenticated(meta.error) || isUnauthenticated(report.error)) {
    const retry = (key: string) => {
      storeApiKey(key);
      // The account list follows the report (it is skipped until the report answers).
      void report.refetch();
    };
    return (
      <div className="app">
        <Header />
        <KeyForm rejected={storedApiKey() !== null} onSubmit={retry} />
      </div>
    );
  }

  const sourceName = (id: string) => sources.find((s) => s.id === id)?.name ?? id;
  const accountName = (id: string) =>
    accounts.find((a) => a.id === id)?.name ??
    partOf(
      data?.table.groups.edges.find(({ node }) => partOf(node.key, 'ACCOUNT')?.value === id)?.node.key ?? [],
      'ACCOUNT',
    )?.label ??
    id;

  const drillInto = (row: TableRow) => {
    const account = partOf(row.key, 'ACCOUNT')?.value;
    const source = partOf(row.key, 'SOURCE')?.value ?? view.drillSource;
    if (account)
      change({
        drillSource: source ?? accounts.find((a) => a.id === account)?.sourceId ?? null,
        drillAccount: account,
      });
    else if (source) change({ drillSource: source, drillAccount: null });
  };
  const selectStack = (id: string) => {
    if (view.stack === 'SOURCE') change({ drillSource: id, drillAccount: null });
    else if (view.stack === 'ACCOUNT')
      change({ drillSource: accounts.find((a) => a.id === id)?.sourceId ?? view.drillSource, drillAccount: id });
    else if (view.stack === 'PROVIDER') change({ providers: [id], drillSource: null, drillAccount: null });
  };

  // Which sources carry each virtual currency (for its converted value), and whether they carry only it.
  const virtualSources = new Map<string, { sources: Set<string>; alone: boolean }>();
  for (const { node } of data?.table.groups.edges ?? []) {
    const sourceId = partOf(node.key, 'SOURCE')?.value ?? view.drillSource;
    for (const v of node.virtualTotals) {
      const entry = virtualSources.get(v.currency) ?? { sources: new Set<string>(), alone: true };
      if (sourceId) entry.sources.add(sourceId);
      if (node.totals.length || node.virtualTotals.length > 1) entry.alone = false;
      virtualSources.set(v.currency, entry);
    }
  }
  const billing = table.currencies.filter((c) => !c.virtual).map((c) => c.currency);

  const focusSources = view.drillSource
    ? [view.drillSource]
    : view.sources.length
      ? view.sources
      : view.providers.length
        ? sources.filter((s) => view.providers.includes(s.provider)).map((s) => s.id)
        : [];
  const exportFocus = async () => {
    setExporting(true);
    setExportProblem(null);
    try {
      setExportProblem(
        await downloadFocus(focusExportUrl({ start: window_.start, end: window_.end, sources: focusSources })),
      );
    } catch {
      setExportProblem('The export could not be fetched: is the gateway running?');
    } finally {
      setExporting(false);
    }
  };
  const exportTable = () => {
    const csv = csvOf(tableRecords(table, level.headings));
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `billgraph-totals-${range.from}-${range.to}.csv`);
  };

  const reportTotals = moneyMap([...(data?.table.totals ?? []), ...(data?.table.virtualTotals ?? [])]);
  const partialReport = data && (!data.chart.complete || !data.table.complete);

  return (
    <div className="app">
      <Header>
        <nav>
          <a href="/">GraphiQL</a>
        </nav>
      </Header>
      <FilterBar
        key={`${named.from}|${named.to}`}
        view={view}
        range={named}
        options={{ sources, accounts }}
        onChange={change}
      />
      <Freshness sources={sources} freshness={data?.chart.freshness ?? []} failing={failing} now={now} />
      <ErrorBanners problems={problems} onRetry={() => void report.refetch()} />
      <nav className="crumbs" aria-label="Drill-down">
        <button
          type="button"
          className="link"
          disabled={!view.drillSource}
          onClick={() => change({ drillSource: null, drillAccount: null })}
        >
          All sources
        </button>
        {view.drillSource ? (
          <>
            {' › '}
            <button
              type="button"
              className="link"
              disabled={!view.drillAccount}
              onClick={() => change({ drillAccount: null })}
            >
              {sourceName(view.drillSource)}
            </button>
          </>
        ) : null}
        {view.drillAccount ? (
          <>
            {' '}
            › <span>{accountName(view.drillAccount)}</span>
          </>
        ) : null}
        <span className="muted">
          {' '}
          · {range.from} to {range.to} (exclusive)
          {range.to !== named.to ? `, to date of ${named.from} – ${named.to}` : ''}, {view.timeZone}
        </span>
      </nav>
      <main>
        <section className="panel" aria-labelledby="cost-heading">
          <h2 id="cost-heading">
            Cost per {view.step.toLowerCase()} {report.loading ? <span className="loading muted">Loading…</span> : null}
            {partialReport ? <span className="marker partial">partial: a source is missing</span> : null}
          </h2>
          {data && charts.length === 0 ? <p className="muted">No cost in this window.</p> : null}
          <div className="charts">
            {charts.map((c) => (
              <div key={c.currency} className="chart-block">
                <CostChart
                  chart={c}
                  step={view.step}
                  stack={view.stack}
                  timeZone={view.timeZone}
                  now={now}
                  onSelect={selectStack}
                  onDrawn={onDrawn}
                />
                {c.virtual ? (
                  <VirtualNote
                    currency={c.currency}
                    targets={billing.length ? billing : ['USD']}
                    window={window_}
                    filter={{ ...filter, sources: [...(virtualSources.get(c.currency)?.sources ?? [])] }}
                    usable={virtualSources.get(c.currency)?.alone ?? false}
                  />
                ) : null}
              </div>
            ))}
          </div>
        </section>
        <section className="panel" aria-labelledby="totals-heading">
          <div className="panel-head">
            <h2 id="totals-heading">Totals</h2>
            {!view.drillSource ? (
              <span role="group" aria-label="Rows" className="segmented">
                {(['SOURCE', 'ACCOUNT'] as const).map((t) => (
                  <button
                    key={t}
                    type="button"
                    className={view.table === t ? 'active' : ''}
                    aria-pressed={view.table === t}
                    onClick={() => change({ table: t })}
                  >
                    by {t.toLowerCase()}
                  </button>
                ))}
              </span>
            ) : null}
            <span className="actions">
              <button type="button" onClick={exportTable} disabled={!data}>
                Download table (CSV)
              </button>
              <button
                type="button"
                onClick={() => void exportFocus()}
                disabled={exporting}
                title={
                  view.accounts.length || view.drillAccount
                    ? 'The FOCUS export covers whole sources: account filters are not applied.'
                    : undefined
                }
              >
                {exporting ? 'Exporting…' : 'Download FOCUS 1.3 (CSV)'}
              </button>
            </span>
          </div>
          {exportProblem ? (
            <p className="problem" role="alert">
              {exportProblem}
            </p>
          ) : null}
          {data ? (
            <TotalsTable
              table={table}
              headings={level.headings}
              sort={view.sort}
              descending={view.descending}
              top={view.top}
              totals={reportTotals}
              onSort={(column) =>
                change(
                  column === (view.sort || table.currencies[0]?.currency)
                    ? { sort: column, descending: !view.descending }
                    : { sort: column, descending: column !== 'name' },
                )
              }
              onTop={(top) => change({ top })}
              {...(level.drillable ? { onDrill: drillInto } : {})}
            />
          ) : null}
        </section>
      </main>
    </div>
  );
}
