// Seam for HTTP calls: code outside the binding dispatches calls and reads their answers through
// these classes, so it runs without a host (unit tests give it answers of their own). The binding
// (abi/calls.ts) implements them: it records each call's handler and delivers the answer to it.

/**
 * an HTTP call's answer as it arrived (read from the host before the caller was made effective:
 * the host keeps it with the root context); valid only during the handler's callback
 */
export abstract class CallAnswer {
  /** headers of the answer: 0 when the call got none (reset, timeout, refused connection) */
  numHeaders: u32 = 0;
  bodySize: u32 = 0;
  /**
   * the context that made the call no longer exists (a stream whose client left): the root
   * context is the effective one, and the handler still runs so the cache and other waiters
   * get the answer
   */
  callerGone: bool = false;

  /** the first value of an answer header, or null */
  abstract header(name: string): string | null;
  /** the answer's body when the handler's `bodyLimit` allowed its size, else empty */
  abstract body(): ArrayBuffer;
  /** the host's status for a call that got no answer (11: broken connection), or 0 */
  abstract failureStatus(): u32;
  /** the host's time when the answer arrived, in nanoseconds */
  abstract nowNs(): u64;

  nowMs(): u64 {
    return this.nowNs() / 1_000_000;
  }
}

export abstract class CallHandler {
  abstract onAnswer(answer: CallAnswer): void;

  /** the largest body the handler reads (0: none); a larger one is not read */
  bodyLimit(): u32 {
    return 0;
  }
}

/** makes calls on behalf of one context (the root context, for reports and system fetches) */
export abstract class CallDispatcher {
  /** the host's status: 0 when it took the call, whose answer then goes to `handler` */
  abstract dispatch(cluster: string, headers: Array<string>, body: string, timeoutMs: u32, handler: CallHandler): i32;
}
