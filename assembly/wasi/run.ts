// One document through the same pipeline the proxy-wasm filter runs: parseConfig as in
// on_configure, decide as in on_request_headers, decideAnswer as in on_http_call_response.
import { JsonValue } from "../json/value";
import { parseConfig } from "../config/parse";
import { decide } from "../pipeline/flow";
import { decideAnswer } from "../pipeline/answer";
import { BackendAnswer } from "../backend/answer";
import { HeaderPairs, Request } from "../pipeline/request";
import { readDocument } from "./input";
import { JsonMetadata } from "./metadata";
import { Result, malformedJson } from "./output";
import { RecordedTrace } from "./trace";
import { runScenario } from "./steps";

export const EXIT_OK: i32 = 0;
export const EXIT_REJECTED: i32 = 1;
export const EXIT_MALFORMED: i32 = 2;

export class Run {
  constructor(public json: string, public exitCode: i32) {}
}

export function runDocument(v: JsonValue): Run {
  const doc = readDocument(v);
  if (doc.error.length > 0) return new Run(malformedJson(doc.error), EXIT_MALFORMED);
  const parsed = parseConfig(doc.configText);
  const result = new Result();
  result.warnings = parsed.warnings;
  const config = parsed.config;
  if (!config) {
    result.error = parsed.error;
    return new Run(result.toJson(), EXIT_REJECTED);
  }
  result.configured = true;
  const headers = doc.headers;
  if (headers) {
    const trace = doc.trace ? new RecordedTrace(config) : null;
    const decision = decide(config, new Request(new HeaderPairs(headers), new JsonMetadata(doc.metadata)), trace);
    result.decision = decision;
    result.trace = trace;
    // the filter asks decideAnswer only once an authrep call was made
    const answer = doc.answer;
    const call = decision.call;
    if (answer && call) result.answerDecision = decideAnswer(new BackendAnswer(answer.status, answer.rejectionReason, answer.limitMax, answer.limitRemaining, answer.limitReset), call);
  }
  const steps = doc.steps;
  if (steps) {
    const scenario = runScenario(config, steps);
    if (scenario.error.length > 0) return new Run(malformedJson(scenario.error), EXIT_MALFORMED);
    result.events = scenario.events;
  }
  return new Run(result.toJson(), EXIT_OK);
}
