import { PROVIDER_LABELS } from '../providerLabels';

export interface FreshnessEntry {
  readonly source: { id: string };
  readonly lastSyncedAt?: string | null;
  readonly bucketsFromLedger: number;
  readonly bucketsLive: number;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "yesterday": the largest unit that is at least one. */
export function ago(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return relative.format(seconds, 'second');
}

/** Per source: ok or failing, when the ledger last synced it, and how much of this view came from the ledger. */
export function Freshness({
  sources,
  freshness,
  failing,
  now,
}: {
  sources: readonly { id: string; name: string; provider: string }[];
  freshness: readonly FreshnessEntry[];
  failing: ReadonlySet<string>;
  now: number;
}) {
  const bySource = new Map(freshness.map((f) => [f.source.id, f]));
  return (
    <ul className="sources" aria-label="Sources">
      {sources.map((s) => {
        const f = bySource.get(s.id);
        const buckets = f ? f.bucketsFromLedger + f.bucketsLive : 0;
        const synced = f?.lastSyncedAt ? Date.parse(f.lastSyncedAt) : null;
        return (
          <li key={s.id} className={failing.has(s.id) ? 'source failing' : 'source ok'} data-source={s.id}>
            <span aria-hidden="true">{failing.has(s.id) ? '✗' : '✓'}</span> {s.name}{' '}
            <span className="muted">({PROVIDER_LABELS[s.provider] ?? s.provider})</span>
            <span className="freshness" data-synced={f?.lastSyncedAt ?? ''}>
              {synced !== null ? (
                <time dateTime={f!.lastSyncedAt!} title={f!.lastSyncedAt!}>
                  synced {ago(synced, now)}
                </time>
              ) : (
                'not synced: live'
              )}
              {f && buckets > 0 && synced !== null
                ? ` · ${Math.round((100 * f.bucketsFromLedger) / buckets)}% from the ledger`
                : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
