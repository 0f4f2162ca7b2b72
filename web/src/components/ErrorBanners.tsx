import type { Problems } from '../errors';
import { PROVIDER_LABELS } from '../providerLabels';

/** One banner per failing source; the rest of the page still shows what the other sources returned. */
export function ErrorBanners({ problems }: { problems: Problems }) {
  if (!problems.sources.length && !problems.general.length) return null;
  return (
    <section className="banners" aria-label="Problems">
      {problems.sources.map((p) => (
        <div key={p.sourceId} className="banner banner-source" role="alert" data-source={p.sourceId}>
          <strong>
            {p.sourceName} ({p.provider ? `${PROVIDER_LABELS[p.provider] ?? p.provider}, ` : ''}source “{p.sourceId}”)
            is failing
          </strong>
          <span className="codes">{p.codes.join(', ')}</span>
          <div className="banner-detail">
            {p.messages.slice(0, 3).join(' ')} Affected: {p.where.join('; ')}. Data from the other sources is still
            shown.
          </div>
        </div>
      ))}
      {problems.general.map((message) => (
        <div key={message} className="banner banner-general" role="alert">
          {message}
        </div>
      ))}
    </section>
  );
}
