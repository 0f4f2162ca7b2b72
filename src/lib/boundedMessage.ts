/**
 * Error messages quote what the caller sent: graphql-js's variable coercion quotes the whole
 * value ("Variable "$n" got invalid value "AAAA…" — 900 KB of it), and so do scalar and argument
 * errors. A message is for a person reading what went wrong, so each quoted string keeps its
 * first MAX_QUOTED characters and the whole message its first MAX_MESSAGE.
 */

/** Characters kept of each quoted string in a message. */
export const MAX_QUOTED = 80;
/** Characters kept of a whole message. */
export const MAX_MESSAGE = 1000;

/** Cuts `text` to `max` characters, marking the cut with "…", never splitting an escape or a surrogate pair. */
const cut = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let end = max;
  let backslashes = 0;
  while (backslashes < end && text[end - 1 - backslashes] === '\\') backslashes++;
  if (backslashes % 2 === 1) end -= 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
};

/**
 * The message with each double-quoted string (JSON escapes inside, as graphql-js and billgraph
 * write them) cut to MAX_QUOTED characters, then the whole cut to MAX_MESSAGE. One linear scan
 * that stops once the output is long enough: a regular expression over a 900 KB quote would
 * backtrack through all of it.
 */
export function boundedMessage(message: string): string {
  if (message.length <= MAX_QUOTED) return message;
  let out = '';
  let i = 0;
  while (i < message.length && out.length <= MAX_MESSAGE) {
    const open = message.indexOf('"', i);
    if (open === -1) {
      out += message.slice(i);
      break;
    }
    out += message.slice(i, open + 1);
    let close = open + 1;
    while (close < message.length && message[close] !== '"') close += message[close] === '\\' ? 2 : 1;
    const inner = message.slice(open + 1, Math.min(close, message.length));
    out += cut(inner, MAX_QUOTED);
    if (close >= message.length) break;
    out += '"';
    i = close + 1;
  }
  return cut(out, MAX_MESSAGE);
}
