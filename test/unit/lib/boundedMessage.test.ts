import { describe, expect, it } from 'vitest';
import { boundedMessage, MAX_MESSAGE, MAX_QUOTED } from '../../../src/lib/boundedMessage.js';

describe('boundedMessage', () => {
  it('leaves an ordinary message as it is', () => {
    const message = 'Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"';
    expect(boundedMessage(message)).toBe(message);
  });

  it('cuts every long quoted value to its first 80 characters and keeps the words around it', () => {
    const big = 'A'.repeat(900_000);
    const message = `Variable "$n" got invalid value "${big}"; Int cannot represent non-integer value: "${big}"`;
    expect(boundedMessage(message)).toBe(
      `Variable "$n" got invalid value "${'A'.repeat(MAX_QUOTED)}…"; Int cannot represent non-integer value: "${'A'.repeat(MAX_QUOTED)}…"`,
    );
  });

  it('never splits an escape or a surrogate pair at the cut', () => {
    const escaped = `"${'A'.repeat(MAX_QUOTED - 1)}\\"tail${'B'.repeat(100)}"`;
    expect(boundedMessage(`got ${escaped}`)).toBe(`got "${'A'.repeat(MAX_QUOTED - 1)}…"`);
    const emoji = `"${'A'.repeat(MAX_QUOTED - 1)}😀${'B'.repeat(100)}"`;
    expect(boundedMessage(`got ${emoji}`)).toBe(`got "${'A'.repeat(MAX_QUOTED - 1)}…"`);
  });

  it('caps the whole message, unquoted values included, and an unterminated quote', () => {
    const unquoted = `Variable "$w" got invalid value { ${'k'.repeat(50_000)}: 1 }`;
    expect(boundedMessage(unquoted).length).toBe(MAX_MESSAGE + 1);
    expect(boundedMessage(`got "${'x'.repeat(50_000)}`)).toBe(`got "${'x'.repeat(MAX_QUOTED)}…`);
  });
});
