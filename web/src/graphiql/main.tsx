/**
 * billgraph's GraphiQL 5 page, bundled by Vite with the dashboard (web/graphiql.html) and served at
 * / and /graphql. The gateway adds its settings as a JSON data block (no inline script: the CSP
 * forbids it). Monaco's workers come from graphiql/setup-workers/vite as files of this build.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { StrictMode, useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL, HISTORY_PLUGIN, type GraphiQLProps } from 'graphiql';
import { storeApiKey, storedApiKey } from '../apiKey';
import { RESPONSE_DETAILS_PLUGIN, ResponseSummary } from './ResponseDetails';
import { recordingFetch } from './responses';

interface Settings {
  readonly endpoint: string;
  readonly introspection: boolean;
  readonly requiresKey: boolean;
  readonly query: string;
  readonly variables: string;
}

function readSettings(): Settings {
  const defaults: Settings = {
    endpoint: '/graphql',
    introspection: true,
    requiresKey: false,
    query: '',
    variables: '',
  };
  const block = document.getElementById('billgraph-playground-settings');
  if (!block?.textContent) return defaults; // `npx vite web` in development
  return { ...defaults, ...(JSON.parse(block.textContent) as Partial<Settings>) };
}

const settings = readSettings();
const PLUGINS = [HISTORY_PLUGIN, RESPONSE_DETAILS_PLUGIN];

function hasSavedTabs(): boolean {
  try {
    return window.localStorage.getItem('graphiql:tabState') !== null;
  } catch {
    return false;
  }
}

function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    storeApiKey(value);
    onKey(value);
  };
  return (
    <form id="billgraph-key" className="billgraph-key" aria-label="API key" onSubmit={submit}>
      <label htmlFor="billgraph-key-input">API key</label>
      <input
        id="billgraph-key-input"
        name="key"
        type="password"
        autoComplete="off"
        required
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit">Use key</button>
      <span className="billgraph-muted">
        Kept in this tab only (sessionStorage) and put in the headers editor as <code>Authorization: Bearer</code>.
      </span>
    </form>
  );
}

function Playground() {
  const [key, setKey] = useState<string | null>(() => storedApiKey());
  const [refused, setRefused] = useState(false);
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: new URL(settings.endpoint, window.location.href).toString(),
        // The key entered in the form goes with every request, GraphiQL's first introspection included
        // (it can run before the headers editor exists); an Authorization header in the editor replaces it.
        ...(settings.requiresKey && key ? { headers: { Authorization: `Bearer ${key}` } } : {}),
        fetch: recordingFetch((record) => {
          // A rejected key (401) is forgotten, and the page says how to enter another one.
          if (settings.requiresKey && record.status === 401) {
            storeApiKey(null);
            setRefused(true);
          } else if (record.status < 300) setRefused(false);
        }),
      }),
    [key],
  );

  if (settings.requiresKey && !key) return <KeyForm onKey={setKey} />;

  const props: GraphiQLProps = {
    fetcher,
    plugins: PLUGINS,
    defaultQuery: settings.query,
    defaultEditorToolsVisibility: settings.requiresKey ? 'headers' : 'variables',
    // The key stays in this tab's sessionStorage, never in GraphiQL's localStorage.
    shouldPersistHeaders: false,
    showPersistHeadersSettings: false,
  };
  // With tenants the headers editor starts with the key, and every request (introspection too) sends it from there.
  if (settings.requiresKey && key) props.initialHeaders = JSON.stringify({ Authorization: `Bearer ${key}` }, null, 2);
  // First visit: open on the example with its window variable; later visits get GraphiQL's saved tabs.
  if (!hasSavedTabs()) {
    props.initialQuery = settings.query;
    props.initialVariables = settings.variables;
  }
  // Without introspection GraphiQL would try (and fail) to introspect: give it no schema and say why.
  if (!settings.introspection) props.schema = null;

  return (
    <div className="billgraph-page">
      {!settings.introspection ? (
        <div id="billgraph-banner" className="billgraph-banner" role="status">
          Introspection is turned off on this server (configuration "introspection": false), so the Docs explorer,
          autocompletion and validation are unavailable here. Queries still run: type one and press ▶.
        </div>
      ) : null}
      {refused ? (
        <div id="billgraph-banner" className="billgraph-banner" role="alert">
          The API key was refused (HTTP 401). Correct it in the Headers editor below, or reload the page to enter
          another one.
        </div>
      ) : null}
      <div className="billgraph-graphiql">
        <GraphiQL {...props}>
          <GraphiQL.Logo>
            <span className="billgraph-logo">
              billgraph ·{' '}
              <a href="/dashboard/" className="billgraph-dashboard-link">
                Dashboard
              </a>
            </span>
          </GraphiQL.Logo>
          <GraphiQL.Footer>
            <ResponseSummary />
          </GraphiQL.Footer>
        </GraphiQL>
      </div>
    </div>
  );
}

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
