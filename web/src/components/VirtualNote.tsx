import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { VirtualConversionDocument, type TimeWindow, type UsageFilter } from '../gql/graphql';
import { formatMoney } from '../format';

/**
 * Next to a virtual currency's chart: its value in a billing currency at the configured dated rates, or that no
 * rate is configured. Buzz and credits are never summed with money; this is a conversion billgraph states, only
 * where a rate exists (docs/pricing.md).
 */
export function VirtualNote({
  currency,
  targets,
  window,
  filter,
  usable,
}: {
  currency: string;
  /** Billing currencies to try, in order: the first one a configured rate converts into is shown. */
  targets: readonly string[];
  window: TimeWindow;
  filter: UsageFilter;
  /** False when the sources carrying it carry other currencies too: their converted sum would not be this one's. */
  usable: boolean;
}) {
  // Which billing currency a rate converts into is the config's: try the view's billing currencies in turn.
  const [tried, setTried] = useState(0);
  const target = targets[tried] ?? targets[0] ?? 'USD';
  const { data } = useQuery(VirtualConversionDocument, {
    variables: { window, filter, currency: target },
    skip: !usable || !filter.sources?.length,
    errorPolicy: 'all',
  });
  if (!usable || !data) return null;
  const { converted, unconverted } = data.usageReport;
  const missing = unconverted.some((m) => m.currency === currency);
  if (missing && tried + 1 < targets.length) {
    setTried(tried + 1);
    return null;
  }
  return (
    <p className="virtual-note" data-currency={currency}>
      {currency} is a virtual currency (prepaid credits, not money);{' '}
      {missing || !converted ? (
        <>
          no rate from {currency} to {targets.join(' or ')} is configured (currencies in the config file).
        </>
      ) : (
        <>
          worth <b>{formatMoney(converted)}</b> at the configured rate.
        </>
      )}
    </p>
  );
}
