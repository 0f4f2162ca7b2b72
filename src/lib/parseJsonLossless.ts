/**
 * Parses JSON keeping every number as its literal string ("0.015774193694443002001" stays so),
 * so no digit is lost to doubles. One pass quotes each number literal found outside strings,
 * then the engine's own JSON.parse does the rest: about twice as fast as a parser written in
 * JavaScript, and it allocates only the result (docs/performance.md).
 *
 * Quoting never turns invalid JSON into valid JSON: it only wraps what the grammar calls a
 * number (see NUMBER), so a malformed body still fails JSON.parse with a SyntaxError.
 */
export function parseJsonLossless(text: string): unknown {
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
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0];
      // Not a number by the grammar ("-x"): left as is, for JSON.parse to refuse.
      if (literal === undefined) continue;
      out += `${text.slice(last, i)}"${literal}"`;
      last = i + literal.length;
      i = last - 1;
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

/**
 * A number exactly as RFC 8259 spells it. Whatever follows a match is scanned again, so "01",
 * "1." or "1-2" become `"0"1`, `"1".`, `"1""-2"`: still invalid, never a string that parses.
 */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** True when the quote at `at` is escaped (preceded by an odd number of backslashes). */
function escaped(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && text.charCodeAt(k) === 0x5c) k--;
  return (at - 1 - k) % 2 === 1;
}
