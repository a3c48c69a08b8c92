// Virtual time for ticks and clock imports: tests move it with advance(), so timer-driven module
// behaviour is deterministic. Like Envoy's dispatcher timers, a periodic timer first fires one
// period after it was set, and setting it again restarts it.

interface Timer {
  periodMs: number;
  dueMs: number;
  fire: () => void;
}

export class ManualClock {
  private nowMs: number;
  private readonly startMs: number;
  private timers = new Map<object, Timer>();

  constructor(startMs: number) {
    this.nowMs = this.startMs = startMs;
  }

  realtimeNs(): bigint {
    return BigInt(Math.round(this.nowMs * 1e6));
  }

  monotonicNs(): bigint {
    return BigInt(Math.round((this.nowMs - this.startMs) * 1e6));
  }

  /** periodMs 0 cancels; `owner` identifies the timer (one per root context) */
  setPeriodic(owner: object, periodMs: number, fire: () => void): void {
    if (periodMs === 0) this.timers.delete(owner);
    else this.timers.set(owner, { periodMs, dueMs: this.nowMs + periodMs, fire });
  }

  cancel(owner: object): void {
    this.timers.delete(owner);
  }

  /** moves time forward, firing every due timer at its due time, in time order */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers.values()) if (t.dueMs <= target && (!next || t.dueMs < next.dueMs)) next = t;
      if (!next) break;
      this.nowMs = next.dueMs;
      next.dueMs += next.periodMs;
      next.fire();
    }
    this.nowMs = target;
  }
}
