/**
 * Parses JSON keeping every number as its literal string ("0.015774193694443002001" stays so),
 * so no digit is lost to doubles. One pass quotes each number literal found outside strings,
 * then the engine's own JSON.parse does the rest: on the upstreams' bodies 1.1× (number-heavy
 * G8 calculate trees) to 2.3× (listings, mostly strings) faster than lossless-json, which parses
 * in JavaScript and allocates per token (docs/performance.md).
 *
 * Quoting never turns invalid JSON into valid JSON: it wraps only the longest prefix that the
 * grammar calls a number, and whatever follows is scanned again, so "01", "1.", "1-2" or "-x"
 * become `"0"1`, `"1".`, `"1""-2"`, `-x` — still a SyntaxError from JSON.parse.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteNumbers(text, ''));
}

/**
 * Marks a JSON number's literal as a number (`NUMBER_MARK` + its text) in what `parseJsonTyped`
 * returns; a string never starts with it unless the body escaped it (`"\u0000…"`).
 */
export const NUMBER_MARK = '\u0000';

/**
 * Like parseJsonLossless, but a number stays distinguishable from a string: every number
 * literal comes back as `NUMBER_MARK + literal` (`12` → "\u000012", `"12"` → "12"), so a
 * contract that wants a number can refuse a quoted one (`typedNumber` in
 * src/providers/jsonNumbers.ts). Same single scan and engine JSON.parse: no per-token
 * JavaScript parser on the event loop (lossless-json took 700 ms for a 10 MB body).
 */
export function parseJsonTyped(text: string): unknown {
  return JSON.parse(quoteNumbers(text, String.raw`\u0000`));
}

/** `text` with each number literal outside strings wrapped in quotes, after `prefix` (JSON source text). */
function quoteNumbers(text: string, prefix: string): string {
  const n = text.length;
  let out = '';
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) break; // unterminated: JSON.parse reports it
      i = end;
    } else if (c === 0x2d /* - */ || isDigit(c)) {
      const end = numberEnd(text, i);
      if (end === -1) continue; // "-" without digits: left for JSON.parse to refuse
      out += text.slice(last, i) + '"' + prefix + text.slice(i, end) + '"';
      last = end;
      i = end - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * End of the longest number literal (RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)
 * starting at `i`, or -1 when not even its integer part is there. Written out rather than as a
 * sticky RegExp: no match array per number.
 */
function numberEnd(text: string, i: number): number {
  let j = i;
  if (text.charCodeAt(j) === 0x2d) j++;
  const first = text.charCodeAt(j);
  if (first === 0x30) j++;
  else if (first >= 0x31 && first <= 0x39) {
    j++;
    while (isDigit(text.charCodeAt(j))) j++;
  } else return -1;
  if (text.charCodeAt(j) === 0x2e /* . */ && isDigit(text.charCodeAt(j + 1))) {
    j += 2;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  const e = text.charCodeAt(j);
  if (e === 0x65 || e === 0x45) {
    let k = j + 1;
    const sign = text.charCodeAt(k);
    if (sign === 0x2b || sign === 0x2d) k++;
    if (isDigit(text.charCodeAt(k))) {
      k++;
      while (isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j;
}

/** True when the quote at `at` is escaped (preceded by an odd number of backslashes). */
function escaped(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && text.charCodeAt(k) === 0x5c) k--;
  return (at - 1 - k) % 2 === 1;
}
