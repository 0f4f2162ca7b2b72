/**
 * A label whose values a client or an upstream could otherwise multiply without end: values
 * must match `pattern` (else `invalid`), and only the first `max` distinct ones are kept (later
 * ones become "other"), so one hostile caller cannot grow the registry. A Set lookup per use.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly pattern: RegExp,
    private readonly max: number,
    private readonly invalid = 'other',
  ) {}

  of(value: string | null | undefined): string {
    if (value === null || value === undefined || value === '') return this.invalid;
    if (this.seen.has(value)) return value;
    if (!this.pattern.test(value)) return this.invalid;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}
