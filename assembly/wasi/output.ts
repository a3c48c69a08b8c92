// The harness's answer document, written by hand: a fixed shape with JSON string escaping.
import { addJsonString, jsonString } from "../json/write";
import { Decision } from "../pipeline/reply";
import { StringBuilder } from "../text/builder";
import { RecordedTrace } from "./trace";
import { Event } from "./steps";

const OUTCOMES: Array<string> = ["reply", "authrep", "continue"];

/** [name, value, ...] → [[name, value], ...] */
function addPairs(out: StringBuilder, flat: Array<string>): StringBuilder {
  out.addCode(0x5b);
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (i > 0) out.addCode(0x2c);
    addJsonString(addJsonString(out.addCode(0x5b), flat[i]).addCode(0x2c), flat[i + 1]).addCode(0x5d);
  }
  return out.addCode(0x5d);
}

function addStrings(out: StringBuilder, items: Array<string>): StringBuilder {
  out.addCode(0x5b);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.addCode(0x2c);
    addJsonString(out, items[i]);
  }
  return out.addCode(0x5d);
}

function addDecision(out: StringBuilder, d: Decision): StringBuilder {
  addJsonString(out.add("{\"outcome\":"), OUTCOMES[<i32>d.outcome]).add(",\"status\":").addUint(d.status);
  addJsonString(out.add(",\"body\":"), d.body);
  addJsonString(out.add(",\"details\":"), d.details);
  const call = d.call;
  if (call) {
    addJsonString(out.add(",\"authrep\":{\"cluster\":"), call.cluster).add(",\"timeout_ms\":").addUint(call.timeoutMs);
    addPairs(out.add(",\"headers\":"), call.headers).addCode(0x7d);
  }
  const upstream = d.upstreamHeaders;
  if (upstream) addPairs(out.add(",\"upstream_headers\":"), upstream);
  return out.addCode(0x7d);
}

/** [{"step", "request", "decision"}, ...]; decision null: the request waits for an authrep in flight */
function addEvents(out: StringBuilder, events: Array<Event>): StringBuilder {
  out.addCode(0x5b);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (i > 0) out.addCode(0x2c);
    out.add("{\"step\":").addInt(e.step).add(",\"request\":").addInt(e.request).add(",\"decision\":");
    const d = e.decision;
    if (d) addDecision(out, d);
    else out.add("null");
    out.addCode(0x7d);
  }
  return out.addCode(0x5d);
}

export class Result {
  configured: bool = false;
  error: string = "";
  warnings: Array<string> = [];
  decision: Decision | null = null;
  answerDecision: Decision | null = null;
  trace: RecordedTrace | null = null;
  /** what the requests of a scenario got, step by step (steps.ts) */
  events: Array<Event> | null = null;

  toJson(): string {
    const out = new StringBuilder().add("{\"configured\":").add(this.configured ? "true" : "false");
    if (!this.configured) addJsonString(out.add(",\"error\":"), this.error);
    addStrings(out.add(",\"warnings\":"), this.warnings);
    const decision = this.decision;
    if (decision) addDecision(out.add(",\"decision\":"), decision);
    const answer = this.answerDecision;
    if (answer) addDecision(out.add(",\"answer_decision\":"), answer);
    const trace = this.trace;
    if (trace) trace.toJson(out.add(",\"trace\":"));
    const events = this.events;
    if (events) addEvents(out.add(",\"events\":"), events);
    return out.addCode(0x7d).toString();
  }
}

export function malformedJson(message: string): string {
  return "{\"malformed\":" + jsonString(message) + "}";
}
