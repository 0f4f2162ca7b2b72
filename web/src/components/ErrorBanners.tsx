import { useEffect, useState } from 'react';
import type { Problems, SourceProblem } from '../errors';
import { PROVIDER_LABELS } from '../providerLabels';

/** Seconds until `at`, counted down once a second; calls `onDue` once when it reaches zero. */
function useCountdown(at: number | null, now: () => number, onDue?: () => void): number | null {
  const left = () => (at === null ? null : Math.max(0, Math.ceil((at - now()) / 1000)));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (at === null) return;
    let fired = false;
    const timer = setInterval(() => {
      const s = left();
      setSeconds(s);
      if (s === 0 && !fired) {
        fired = true;
        clearInterval(timer);
        onDue?.();
      }
    }, 1000);
    return () => clearInterval(timer);
    // Restarted only when the retry time changes: a re-render must not reset the count.
  }, [at]);
  return seconds;
}

function SourceBanner({ p, now, onRetry }: { p: SourceProblem; now: () => number; onRetry?: () => void }) {
  const seconds = useCountdown(p.retryAt, now, onRetry);
  const cause = p.causeCode ?? p.codes[0] ?? 'failed';
  return (
    <div className="banner banner-source" role="alert" data-source={p.sourceId}>
      <strong>
        {p.sourceName} ({p.provider ? `${PROVIDER_LABELS[p.provider] ?? p.provider}, ` : ''}source “{p.sourceId}”) is
        failing
      </strong>
      <span className="cause" data-code={cause} data-status={p.upstreamStatus ?? ''}>
        {cause}
        {p.upstreamStatus !== null ? ` · HTTP ${p.upstreamStatus}` : ' · no answer'}
      </span>
      {seconds !== null ? (
        <span className="retry" aria-live="off" data-seconds={seconds}>
          {seconds > 0 ? `retrying in ${seconds} s` : 'retrying now'}
        </span>
      ) : null}
      <div className="banner-detail">
        Affected: {p.where.join('; ')}. Data from the other sources is still shown.
        {p.codes.length > 1 || p.causeCode ? <span className="codes"> Codes: {p.codes.join(', ')}.</span> : null}
      </div>
      <details>
        <summary>What billgraph said</summary>
        <ul>
          {p.messages.slice(0, 3).map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** One banner per failing source, with its cause and a live countdown to the next try; the page still shows the rest. */
export function ErrorBanners({
  problems,
  now = Date.now,
  onRetry,
}: {
  problems: Problems;
  now?: () => number;
  /** Called when a source's retry time has come: ask again. */
  onRetry?: () => void;
}) {
  if (!problems.sources.length && !problems.general.length) return null;
  return (
    <section className="banners" aria-label="Problems">
      {problems.sources.map((p) => (
        <SourceBanner key={p.sourceId} p={p} now={now} onRetry={onRetry} />
      ))}
      {problems.general.map((message) => (
        <div key={message} className="banner banner-general" role="alert">
          {message}
        </div>
      ))}
    </section>
  );
}
