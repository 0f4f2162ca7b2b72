/** billgraph's GraphiQL plugin and footer: the last response's HTTP status, time, size and headers. */
import type { GraphiQLPlugin } from '@graphiql/react';
import { formatBytes, formatMs, useLastResponse, type ResponseRecord } from './responses';

function statusClass(record: ResponseRecord): string {
  return record.status >= 200 && record.status < 300 ? 'billgraph-status ok' : 'billgraph-status failed';
}

function ResponseDetailsPane() {
  const record = useLastResponse();
  return (
    <section className="billgraph-response-details" aria-label="Response details">
      <div className="graphiql-doc-explorer-title">Response details</div>
      {record === null ? (
        <p className="billgraph-muted">Run a query (▶) to see its HTTP status, time and headers here.</p>
      ) : (
        <>
          <dl className="billgraph-response-summary">
            <dt>Status</dt>
            <dd data-testid="response-status" className={statusClass(record)}>
              {record.status} {record.statusText}
            </dd>
            <dt>Time</dt>
            <dd data-testid="response-time">{formatMs(record.ms)}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(record.bytes)}</dd>
            {record.operationName ? (
              <>
                <dt>Operation</dt>
                <dd>{record.operationName}</dd>
              </>
            ) : null}
          </dl>
          <h3>Response headers</h3>
          <table className="billgraph-response-headers" data-testid="response-headers">
            <tbody>
              {record.headers.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ResponseDetailsIcon() {
  // A stopwatch: time and status of the last response.
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      aria-hidden="true"
    >
      <circle cx="12" cy="13" r="8" />
      <path d="M12 9v4l2.5 2.5M9.5 2.5h5M12 2.5V5" strokeLinecap="round" />
    </svg>
  );
}

export const RESPONSE_DETAILS_PLUGIN: GraphiQLPlugin = {
  title: 'Response details',
  icon: ResponseDetailsIcon,
  content: ResponseDetailsPane,
};

/** One line under the response: status, time and size of the last answer. */
export function ResponseSummary() {
  const record = useLastResponse();
  if (record === null) return null;
  return (
    <p className="billgraph-response-line" data-testid="response-line">
      <span className={statusClass(record)}>
        HTTP {record.status} {record.statusText}
      </span>{' '}
      · {formatMs(record.ms)} · {formatBytes(record.bytes)}
    </p>
  );
}
