// One source's 429 pause, shared by every request (RestClient holds one per source, like its
// breaker): once the source has said "wait N s", no call goes to it until then, and when the wait
// is over one call goes first to learn whether it really is, while the others wait for its answer.
// docs/resilience.md describes how RestClient uses it.

/** What a caller must do before calling the source now. */
export type PauseVerdict =
  /** Call it. `probe` is true for the one call sent after a pause: call `probeDone()` once it is answered. */
  | { readonly go: true; readonly probe: boolean }
  /** The source asked for quiet for `waitMs` more (until `until`, epoch ms). */
  | { readonly go: false; readonly waitMs: number; readonly until: number }
  /** The pause is over and its probe is under way: wait for `answered`. */
  | { readonly go: false; readonly answered: Promise<void> };

export class RateLimitPause {
  /** Epoch ms until which no call goes; 0 when the source has not asked for a pause (or its probe passed). */
  private until = 0;
  private probe: { readonly answered: Promise<void>; readonly done: () => void } | null = null;

  /**
   * @param maxPauseMs longest pause one Retry-After imposes, in ms (sources[].maxRateLimitPauseMs):
   * a source answering "wait a day" by mistake is not silenced for a day; after it a probe asks
   * again. 0 turns the pause off.
   */
  constructor(private readonly maxPauseMs: number) {}

  /** The source answered 429 asking for `seconds` of quiet (from now); a longer pause already running stays. */
  extend(seconds: number, now = Date.now()): void {
    if (!(seconds > 0) || this.maxPauseMs === 0) return;
    this.until = Math.max(this.until, now + Math.min(seconds * 1000, this.maxPauseMs));
  }

  /** When the pause ends (epoch ms), while one runs. */
  get pausedUntil(): number | undefined {
    return this.until > Date.now() ? this.until : undefined;
  }

  /**
   * Whether a call may go now. `mayProbe` is false for a caller that cannot send yet (it still
   * has to queue for a slot): it is told to go and asks again once it holds one.
   */
  check(mayProbe: boolean, now = Date.now()): PauseVerdict {
    if (this.until === 0) return { go: true, probe: false };
    if (now < this.until) return { go: false, waitMs: this.until - now, until: this.until };
    if (this.probe) return { go: false, answered: this.probe.answered };
    if (!mayProbe) return { go: true, probe: false };
    let done!: () => void;
    const answered = new Promise<void>((resolve) => (done = resolve));
    this.probe = { answered, done };
    return { go: true, probe: true };
  }

  /**
   * The probe is answered (or failed): unless that answer was another 429 (extend() ran first and
   * the pause goes on), the pause is over for everyone.
   */
  probeDone(now = Date.now()): void {
    const probe = this.probe;
    this.probe = null;
    if (now >= this.until) this.until = 0;
    probe?.done();
  }
}
