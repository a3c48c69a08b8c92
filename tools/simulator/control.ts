// A small JSON control API under /__sim/ for out-of-process users (demo, benchmarks):
//   GET    /__sim/requests                      request log        DELETE: clear it
//   GET    /__sim/usage?service_id&app&metric[&period]             -> {"value": n}
//   GET    /__sim/total?metric[&service_id]                        -> {"value": n}
//   GET    /__sim/report-errors                 per-transaction report problems
//   GET    /__sim/faults                        active faults      POST: add one (JSON Fault)  DELETE: clear
//   GET    /__sim/clock                         -> {"now": iso}    PUT {"now": iso|ms|null}
import type { Fault } from "./faults";
import { isPeriod } from "./periods";
import type { HttpAnswer, IncomingCall } from "./routes";
import type { Simulator } from "./server";

export function controlAnswer(sim: Simulator, call: IncomingCall): HttpAnswer {
  const query = new URLSearchParams(call.query);
  const route = `${call.method} ${call.pathname}`;
  try {
    switch (route) {
      case "GET /__sim/requests": return json(200, sim.requests);
      case "DELETE /__sim/requests": sim.resetLog(); return json(204);
      case "GET /__sim/usage": {
        const period = query.get("period") ?? "eternity";
        if (!isPeriod(period)) return json(400, { error: `unknown period ${period}` });
        return json(200, { value: sim.usage(required(query, "service_id"), required(query, "app"), required(query, "metric"), period) });
      }
      case "GET /__sim/total":
        return json(200, { value: sim.totalUsage(required(query, "metric"), query.get("service_id") ?? undefined) });
      case "GET /__sim/report-errors": return json(200, sim.reportErrors);
      case "GET /__sim/faults": return json(200, sim.faults.list);
      case "POST /__sim/faults": sim.inject(JSON.parse(call.body) as Fault); return json(204);
      case "DELETE /__sim/faults": sim.clearFaults(); return json(204);
      case "GET /__sim/clock": return json(200, { now: new Date(sim.state.now()).toISOString() });
      case "PUT /__sim/clock": sim.setNow((JSON.parse(call.body) as { now: string | number | null }).now); return json(204);
      default: return json(404, { error: `no control route ${route}` });
    }
  } catch (error) {
    return json(400, { error: (error as Error).message });
  }
}

function required(query: URLSearchParams, key: string): string {
  const value = query.get(key);
  if (value === null) throw new Error(`missing query parameter ${key}`);
  return value;
}

function json(status: number, body?: unknown): HttpAnswer {
  return { status, headers: { "Content-Type": "application/json" }, body: body === undefined ? "" : JSON.stringify(body) };
}
