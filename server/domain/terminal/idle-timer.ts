/**
 * Fires once after `idleMs` without a touch. Touches are cheap (a timestamp); the timer re-arms
 * itself for the remainder when it wakes early, so typing does not churn timers.
 */
export class IdleTimer {
  private last = Date.now();
  private timer: NodeJS.Timeout | null;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.timer = setTimeout(() => this.check(), idleMs);
    this.timer.unref();
  }

  touch(): void {
    this.last = Date.now();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private check(): void {
    if (!this.timer) return;
    const left = this.last + this.idleMs - Date.now();
    if (left > 0) {
      this.timer = setTimeout(() => this.check(), left);
      this.timer.unref();
      return;
    }
    this.timer = null;
    this.onIdle();
  }
}
