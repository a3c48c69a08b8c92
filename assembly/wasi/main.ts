// authrep-harness: a WASI command running the filter's pipeline without a proxy-wasm host.
// stdin: one JSON document (see input.ts) or an array of them; stdout: one result or an array
// of results in the same order. Exit code: the worst of 0 ok, 1 configuration rejected,
// 2 malformed input.
import { DEFAULT_MAX_DEPTH, parseJson } from "../json/parse";
import { JsonKind } from "../json/value";
import { setLogSink } from "../runtime/log";
import { joinStrings } from "../text/builder";
import { isValidUtf8 } from "../text/utf8";
import { malformedJson } from "./output";
import { EXIT_MALFORMED, Run, runDocument } from "./run";
import { STDERR, STDIN, STDOUT, proc_exit, readAll, writeAll } from "./wasi";
import "./abort";

const LEVELS: Array<string> = ["trace", "debug", "info", "warn", "error", "critical"];
setLogSink((level: i32, message: string): void => {
  writeAll(STDERR, "[" + LEVELS[level] + "] " + message + "\n");
});

function run(): Run {
  const input = readAll(STDIN);
  if (!input) return new Run(malformedJson("standard input: read error"), EXIT_MALFORMED);
  if (!isValidUtf8(input.dataStart, <usize>input.length)) return new Run(malformedJson("standard input: not valid UTF-8"), EXIT_MALFORMED);
  // two levels for the batch array and the document, so the configuration keeps the filter's depth limit
  const parsed = parseJson(String.UTF8.decodeUnsafe(input.dataStart, <usize>input.length), DEFAULT_MAX_DEPTH + 2);
  const doc = parsed.value;
  if (!doc) return new Run(malformedJson("standard input: " + parsed.error), EXIT_MALFORMED);
  if (doc.kind != JsonKind.Array) return runDocument(doc);
  const outputs = new Array<string>(doc.length);
  let exitCode = 0;
  for (let i = 0; i < doc.length; i++) {
    const r = runDocument(doc.at(i));
    outputs[i] = r.json;
    exitCode = max(exitCode, r.exitCode);
  }
  return new Run("[" + joinStrings(outputs, ",\n") + "]", exitCode);
}

const result = run();
writeAll(STDOUT, result.json + "\n");
proc_exit(<u32>result.exitCode);
