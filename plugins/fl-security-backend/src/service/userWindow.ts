/**
 * A sliding-window count per user: how many on-demand scans each started
 * in the last `windowMs`, and how long until the next one is allowed.
 * In memory, per backend replica; entries expire with the window.
 */
export class UserWindow {
  private readonly starts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `user` may start another scan (0: now). */
  waitMs(user: string, now: number): number {
    const recent = this.recent(user, now);
    if (recent.length < this.limit) return 0;
    return recent[recent.length - this.limit] + this.windowMs - now;
  }

  record(user: string, now: number): void {
    this.starts.set(user, [...this.recent(user, now), now]);
  }

  private recent(user: string, now: number): number[] {
    const kept = (this.starts.get(user) ?? []).filter(
      at => at > now - this.windowMs,
    );
    if (kept.length === 0) this.starts.delete(user);
    else this.starts.set(user, kept);
    return kept;
  }
}
