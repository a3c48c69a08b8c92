// Usage limits (tools/simulator/README.md) and the usage reports of the status body.
import { denials, type Denial } from "./errors";
import { type Period, periodEnd, periodStart } from "./periods";
import type { Application, Service, SimState } from "./state";
import { applyValue, foldUsage, type Usage } from "./usage";

export interface UsageReport {
  metric: string;
  period: Period;
  max: number;
  start: number;
  end: number;
  /** The stored counter, before this request. */
  stored: number;
  /** `current_value` of the body: the stored counter, plus this request's usage on an authorized authrep. */
  value: number;
}

/**
 * With a usage, every limit on a metric of the (hierarchy-expanded) usage must hold after
 * applying it; limits on other metrics are ignored. Without one, no counter may be above its limit.
 */
export function limitsDenial(state: SimState, app: Application, usage: Usage, at: number): Denial | undefined {
  const holds = state.limits(app).every((limit) => {
    const current = state.counter(app, limit.metric, limit.period, at);
    if (usage.size === 0) return current <= limit.max;
    const entry = usage.get(limit.metric);
    return entry === undefined || applyValue(current, entry) <= limit.max;
  });
  return holds ? undefined : denials.limitsExceeded();
}

/** One report per limit, in limit order; `flatUsage` is the request's own usage, `addUsage` whether it counts. */
export function usageReports(
  state: SimState, service: Service, app: Application, flatUsage: Usage, addUsage: boolean, at: number,
): UsageReport[] {
  return state.limits(app).map(({ metric, period, max }) => {
    const stored = state.counter(app, metric, period, at);
    return {
      metric, period, max, stored,
      start: periodStart(period, at),
      end: periodEnd(period, at),
      value: addUsage ? foldUsage(state, service, flatUsage, metric, stored) : stored,
    };
  });
}
