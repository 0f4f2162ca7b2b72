import { useState, type FormEvent } from 'react';

/** Asks for the gateway's API key when it answered 401 (a gateway with tenants). */
export function KeyForm({ rejected, onSubmit }: { rejected: boolean; onSubmit: (key: string) => void }) {
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key) onSubmit(key);
  };
  return (
    <form className="panel key-form" aria-label="API key" onSubmit={submit}>
      <h2>API key</h2>
      <p>
        This gateway needs an API key. {rejected ? 'The key you gave was refused; check it and try again.' : ''} It is
        kept in this tab only and sent as <code>Authorization: Bearer</code>.
      </p>
      <input
        type="password"
        name="key"
        autoComplete="off"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        required
        aria-label="API key"
      />
      <button type="submit">Use key</button>
    </form>
  );
}
