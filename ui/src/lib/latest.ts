/**
 * Answers to repeated requests (a search typed again, a filter changed) are
 * used only while no newer request was made: a slow earlier answer never
 * replaces a newer one on screen.
 */
export class Latest {
  private ticket = 0;

  /** Forgets every request still in flight. */
  cancel(): void {
    this.ticket += 1;
  }

  /** Runs `use` (or `fail`, then `done`) only if this is still the newest request. */
  track<T>(answer: Promise<T>, use: (value: T) => void, fail?: (e: unknown) => void, done?: () => void): void {
    this.cancel();
    const mine = this.ticket;
    const current = (): boolean => mine === this.ticket;
    answer
      .then(
        (v) => current() && use(v),
        (e: unknown) => current() && fail?.(e),
      )
      .finally(() => current() && done?.());
  }
}
