import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { AccountTreeDocument, CostPerDayDocument } from './gql/graphql';
import { AccountTree } from './components/AccountTree';
import { CostChart } from './components/CostChart';
import { ErrorBanners } from './components/ErrorBanners';
import { WindowPicker } from './components/WindowPicker';
import { KeyForm } from './components/KeyForm';
import { isUnauthenticated, storeApiKey, storedApiKey } from './apiKey';
import { collectProblems } from './errors';
import { PROVIDER_LABELS } from './providerLabels';
import { toTimeWindow, windowFromLocation, type DayWindow } from './window';

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

export function App() {
  const [window_, setWindow] = useState<DayWindow>(() => windowFromLocation(location.search));
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    params.set('from', window_.from);
    params.set('to', window_.to);
    history.replaceState(null, '', `${location.pathname}?${params}`);
  }, [window_]);

  const variables = { window: toTimeWindow(window_) };
  const tree = useQuery(AccountTreeDocument, { variables, errorPolicy: 'all', notifyOnNetworkStatusChange: true });
  const costs = useQuery(CostPerDayDocument, { variables, errorPolicy: 'all', notifyOnNetworkStatusChange: true });

  const sources = tree.data?.sources ?? [];
  const problems = useMemo(
    () =>
      collectProblems({
        sourceErrors: [
          { list: tree.data?.accounts.errors, where: 'account list' },
          { list: costs.data?.usageReport.errors, where: 'cost per day' },
        ],
        operationErrors: [
          { error: tree.error, where: 'accounts' },
          { error: costs.error, where: 'cost per day' },
        ],
        sourceNames: new Map(sources.map((s) => [s.id, { name: s.name, provider: s.provider }])),
      }),
    [tree.data, tree.error, costs.data, costs.error, sources],
  );
  const failing = new Set(problems.sources.map((p) => p.sourceId));
  const accounts = tree.data?.accounts.edges.map((e) => e.node) ?? [];

  if (isUnauthenticated(tree.error) || isUnauthenticated(costs.error)) {
    const retry = (key: string) => {
      storeApiKey(key);
      void tree.refetch();
      void costs.refetch();
    };
    return (
      <div className="app">
        <Header />
        <KeyForm rejected={storedApiKey() !== null} onSubmit={retry} />
      </div>
    );
  }

  return (
    <div className="app">
      <Header>
        <nav>
          <a href="/">GraphiQL</a>
        </nav>
      </Header>
      <WindowPicker value={window_} onChange={setWindow} />
      <ul className="sources" aria-label="Sources">
        {sources.map((s) => (
          <li key={s.id} className={failing.has(s.id) ? 'source failing' : 'source ok'} data-source={s.id}>
            {failing.has(s.id) ? '✗' : '✓'} {s.name}{' '}
            <span className="muted">({PROVIDER_LABELS[s.provider] ?? s.provider})</span>
          </li>
        ))}
      </ul>
      <ErrorBanners problems={problems} />
      <main>
        <section className="panel">
          <h2>Cost per day</h2>
          {costs.loading ? <p className="loading">Loading…</p> : null}
          <CostChart report={costs.data?.usageReport} from={window_.from} to={window_.to} />
        </section>
        <section className="panel">
          <h2>
            Accounts{' '}
            <span className="muted">
              {tree.data ? `${tree.data.accounts.totalCount} across ${sources.length} sources` : ''}
            </span>
          </h2>
          {tree.loading ? <p className="loading">Loading…</p> : null}
          <AccountTree accounts={accounts} />
        </section>
      </main>
    </div>
  );
}
