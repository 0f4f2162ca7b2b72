import type { AccountTreeQuery, PointFieldsFragment } from '../gql/graphql';
import { formatMoney, formatQuantity } from '../format';
import { PROVIDER_LABELS } from '../providerLabels';

type Account = AccountTreeQuery['accounts']['edges'][number]['node'];

/** A node's consumption: one chip per metric; "unavailable" when its source failed (the field is null). */
function Consumption({
  points,
  cost,
}: {
  points: readonly PointFieldsFragment[] | null | undefined;
  cost?: readonly { amount: string; currency: string }[] | null;
}) {
  if (points === null || points === undefined)
    return (
      <span className="unavailable" title="The source failed for this field">
        consumption unavailable
      </span>
    );
  return (
    <span className="consumption">
      {points.length === 0 ? <span className="muted">no consumption</span> : null}
      {points.map((p) => (
        <span key={`${p.metric}:${p.unit}`} className="chip" title={`${p.quantity} ${p.unit}`}>
          <b>{p.metric}</b> {formatQuantity(p.quantity)} {p.unit}
        </span>
      ))}
      {cost?.map((m) => (
        <span key={m.currency} className="chip cost">
          {formatMoney(m)}
        </span>
      ))}
    </span>
  );
}

function AccountNode({ account }: { account: Account }) {
  const cloudspaces = account.cloudspaces ?? [];
  const otherResources = (account.resources ?? []).filter((r) => r.__typename !== 'Machine');
  return (
    <li className="account" data-account={account.id}>
      <details open>
        <summary>
          <span className="kind">account</span> <span className="name">{account.name ?? account.providerId}</span>{' '}
          <span className="source">
            {PROVIDER_LABELS[account.provider] ?? account.provider} · {account.source.name}
          </span>{' '}
          <Consumption points={account.consumption} cost={account.cost} />
        </summary>
        <ul>
          {account.cloudspaces === null ? <li className="unavailable">cloudspaces unavailable</li> : null}
          {cloudspaces.map((cs) => (
            <li key={cs.id} className="cloudspace">
              <details>
                <summary>
                  <span className="kind">cloudspace</span> <span className="name">{cs.name ?? cs.id}</span>{' '}
                  <span className="muted">
                    {cs.machines ? `${cs.machines.length} machines` : 'machines unavailable'}
                  </span>{' '}
                  <Consumption points={cs.consumption} />
                </summary>
                <ul>
                  {(cs.machines ?? []).map((m) => (
                    <li key={m.id} className="machine">
                      <span className="kind">machine</span> <span className="name">{m.name ?? m.id}</span>{' '}
                      <Consumption points={m.consumption} cost={m.cost} />
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
          {(account.subscriptions ?? []).map((s) => (
            <li key={s.id} className="subscription">
              <span className="kind">subscription</span>{' '}
              <span className="name">{[s.productName, s.planName].filter(Boolean).join(' · ') || s.id}</span>{' '}
              {s.state ? <span className="muted">{s.state}</span> : null} <Consumption points={s.usage} />
            </li>
          ))}
          {otherResources.map((r) => (
            <li key={r.id} className="resource">
              <span className="kind">{r.type.toLowerCase().replace(/_/g, ' ')}</span>{' '}
              <span className="name">{r.name ?? r.id}</span> <Consumption points={r.consumption} cost={r.cost} />
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

export function AccountTree({ accounts }: { accounts: readonly Account[] }) {
  if (!accounts.length) return <p className="muted">No accounts.</p>;
  return (
    <ul className="tree" aria-label="Accounts">
      {accounts.map((a) => (
        <AccountNode key={a.id} account={a} />
      ))}
    </ul>
  );
}
