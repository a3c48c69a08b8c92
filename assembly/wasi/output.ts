// The harness's answer document, written by hand: a fixed shape with jsonString escaping.
import { jsonString } from "../json/write";
import { Decision } from "../pipeline/reply";

const OUTCOMES: Array<string> = ["reply", "authrep", "continue"];

/** [name, value, ...] → [[name, value], ...] */
function pairs(flat: Array<string>): string {
  const out = new Array<string>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.push("[" + jsonString(flat[i]) + "," + jsonString(flat[i + 1]) + "]");
  return "[" + out.join(",") + "]";
}

function strings(items: Array<string>): string {
  const out = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = jsonString(items[i]);
  return "[" + out.join(",") + "]";
}

export function decisionJson(d: Decision): string {
  let s = "{\"outcome\":" + jsonString(OUTCOMES[<i32>d.outcome]) +
    ",\"status\":" + d.status.toString() +
    ",\"body\":" + jsonString(d.body) +
    ",\"details\":" + jsonString(d.details);
  const call = d.call;
  if (call) {
    s += ",\"authrep\":{\"cluster\":" + jsonString(call.cluster) + ",\"timeout_ms\":" + call.timeoutMs.toString() + ",\"headers\":" + pairs(call.headers) + "}";
  }
  const upstream = d.upstreamHeaders;
  if (upstream) s += ",\"upstream_headers\":" + pairs(upstream);
  return s + "}";
}

export class Result {
  configured: bool = false;
  error: string = "";
  warnings: Array<string> = [];
  decision: Decision | null = null;
  answerDecision: Decision | null = null;

  toJson(): string {
    let s = "{\"configured\":" + (this.configured ? "true" : "false");
    if (!this.configured) s += ",\"error\":" + jsonString(this.error);
    s += ",\"warnings\":" + strings(this.warnings);
    const decision = this.decision;
    if (decision) s += ",\"decision\":" + decisionJson(decision);
    const answer = this.answerDecision;
    if (answer) s += ",\"answer_decision\":" + decisionJson(answer);
    return s + "}";
  }
}

export function malformedJson(message: string): string {
  return "{\"malformed\":" + jsonString(message) + "}";
}
