import { useState } from 'react';
import { PRESETS, windowProblem, type DayWindow } from '../window';

export function WindowPicker({ value, onChange }: { value: DayWindow; onChange: (w: DayWindow) => void }) {
  const [draft, setDraft] = useState<DayWindow>(value);
  const problem = windowProblem(draft);
  return (
    <form
      className="window-picker"
      aria-label="Window"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) onChange(draft);
      }}
    >
      <span className="label">Window (UTC)</span>
      {PRESETS.map((p) => (
        <button
          key={p.label}
          type="button"
          className={p.window.from === value.from && p.window.to === value.to ? 'preset active' : 'preset'}
          onClick={() => {
            setDraft(p.window);
            onChange(p.window);
          }}
        >
          {p.label}
        </button>
      ))}
      <label>
        from{' '}
        <input
          type="date"
          name="from"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
        />
      </label>
      <label>
        to (exclusive){' '}
        <input type="date" name="to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
      </label>
      <button type="submit" disabled={!!problem}>
        Show
      </button>
      {problem ? <span className="problem">{problem}</span> : null}
    </form>
  );
}
