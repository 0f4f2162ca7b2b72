import { useState } from 'react';
import { PRESETS, type DayRange } from '../view/presets';
import { STACKS, STEPS, type ViewState } from '../view/viewState';
import { PROVIDER_LABELS } from '../providerLabels';

export interface FilterOptions {
  readonly sources: readonly { id: string; name: string; provider: string }[];
  readonly accounts: readonly { id: string; name: string; sourceId: string }[];
}

interface Props {
  view: ViewState;
  /** The window the view shows now (a preset's days, or the custom ones). */
  range: DayRange;
  options: FilterOptions;
  onChange: (patch: Partial<ViewState>) => void;
}

const STEP_LABELS = { DAY: 'Day', WEEK: 'Week', MONTH: 'Month' } as const;
const STACK_LABELS = { SOURCE: 'Source', PROVIDER: 'Provider', ACCOUNT: 'Account', METRIC: 'Metric' } as const;

/** Every IANA zone this browser knows, UTC and the browser's own first. */
function zones(current: string): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', own, current, ...all])];
}

/** A checkbox list in a disclosure: keyboard-usable without a custom widget. */
function Pick({
  name,
  legend,
  items,
  chosen,
  onChange,
}: {
  name: string;
  legend: string;
  items: readonly { id: string; label: string }[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const summary =
    chosen.length === 0
      ? 'all'
      : chosen.length === 1
        ? (items.find((i) => i.id === chosen[0])?.label ?? chosen[0])
        : `${chosen.length} chosen`;
  return (
    <details className="pick" data-filter={name}>
      <summary>
        {legend}: <b>{summary}</b>
      </summary>
      <fieldset>
        <legend className="sr-only">{legend}</legend>
        {items.map((item) => (
          <label key={item.id}>
            <input
              type="checkbox"
              name={name}
              value={item.id}
              checked={chosen.includes(item.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, item.id] : chosen.filter((id) => id !== item.id))
              }
            />{' '}
            {item.label}
          </label>
        ))}
        {chosen.length ? (
          <button type="button" className="link" onClick={() => onChange([])}>
            Clear
          </button>
        ) : null}
      </fieldset>
    </details>
  );
}

export function FilterBar({ view, range, options, onChange }: Props) {
  const [draft, setDraft] = useState<DayRange>(range);
  const [editing, setEditing] = useState(false);
  const shown = editing ? draft : range;
  const problem =
    !shown.from || !shown.to ? 'Pick both dates.' : shown.from >= shown.to ? 'The end must be after the start.' : null;
  const providers = [...new Set(options.sources.map((s) => s.provider))];
  const accounts = options.accounts.filter(
    (a) =>
      (view.sources.length === 0 || view.sources.includes(a.sourceId)) &&
      (view.providers.length === 0 ||
        view.providers.includes(options.sources.find((s) => s.id === a.sourceId)?.provider ?? '')),
  );
  return (
    <form
      className="filters"
      aria-label="View"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) {
          setEditing(false);
          onChange({ preset: 'custom', from: draft.from, to: draft.to, drillSource: null, drillAccount: null });
        }
      }}
    >
      <div className="row presets" role="group" aria-label="Period">
        {PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className={view.preset === p.id ? 'preset active' : 'preset'}
            aria-pressed={view.preset === p.id}
            onClick={() => {
              setEditing(false);
              onChange({ preset: p.id });
            }}
          >
            {p.label}
          </button>
        ))}
        <span className="dates">
          <label>
            from{' '}
            <input
              type="date"
              name="from"
              value={shown.from}
              onChange={(e) => {
                setEditing(true);
                setDraft({ ...shown, from: e.target.value });
              }}
            />
          </label>{' '}
          <label>
            to (exclusive){' '}
            <input
              type="date"
              name="to"
              value={shown.to}
              onChange={(e) => {
                setEditing(true);
                setDraft({ ...shown, to: e.target.value });
              }}
            />
          </label>{' '}
          <button type="submit" disabled={!editing || !!problem}>
            Show
          </button>
          {editing && problem ? <span className="problem">{problem}</span> : null}
        </span>
      </div>
      <div className="row">
        <span role="group" aria-label="Step" className="segmented">
          {STEPS.map((s) => (
            <button
              key={s}
              type="button"
              className={view.step === s ? 'active' : ''}
              aria-pressed={view.step === s}
              onClick={() => onChange({ step: s })}
            >
              {STEP_LABELS[s]}
            </button>
          ))}
        </span>
        <label>
          Stack by{' '}
          <select
            name="stack"
            value={view.stack}
            onChange={(e) => onChange({ stack: e.target.value as ViewState['stack'] })}
          >
            {STACKS.map((s) => (
              <option key={s} value={s}>
                {STACK_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time zone{' '}
          <select name="tz" value={view.timeZone} onChange={(e) => onChange({ timeZone: e.target.value })}>
            {zones(view.timeZone).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <Pick
          name="providers"
          legend="Providers"
          items={providers.map((p) => ({ id: p, label: PROVIDER_LABELS[p] ?? p }))}
          chosen={view.providers}
          onChange={(ids) => onChange({ providers: ids, drillSource: null, drillAccount: null })}
        />
        <Pick
          name="sources"
          legend="Sources"
          items={options.sources.map((s) => ({ id: s.id, label: s.name }))}
          chosen={view.sources}
          onChange={(ids) => onChange({ sources: ids, drillSource: null, drillAccount: null })}
        />
        <Pick
          name="accounts"
          legend="Accounts"
          items={accounts.map((a) => ({ id: a.id, label: a.name }))}
          chosen={view.accounts}
          onChange={(ids) => onChange({ accounts: ids, drillSource: null, drillAccount: null })}
        />
      </div>
    </form>
  );
}
