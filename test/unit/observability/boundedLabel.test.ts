import { describe, expect, it } from 'vitest';
import { BoundedLabel } from '../../../src/observability/boundedLabel.js';

describe('BoundedLabel', () => {
  it('keeps the first `max` distinct valid values and maps later ones to "other"', () => {
    const label = new BoundedLabel(/^[a-z]+$/, 2, 'anonymous');
    expect(label.of('a')).toBe('a');
    expect(label.of('b')).toBe('b');
    expect(label.of('c')).toBe('other');
    // A value seen before keeps its label once the cap is reached.
    expect(label.of('a')).toBe('a');
  });

  it('maps invalid, empty and missing values to its fallback, without using up the cap', () => {
    const label = new BoundedLabel(/^[a-z]+$/, 1, 'anonymous');
    expect(label.of('NOT valid')).toBe('anonymous');
    expect(label.of('')).toBe('anonymous');
    expect(label.of(undefined)).toBe('anonymous');
    expect(label.of(null)).toBe('anonymous');
    expect(label.of('ok')).toBe('ok');
  });
});
