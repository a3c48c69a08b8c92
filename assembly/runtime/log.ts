// Logging seam: pipeline code logs through here and never imports the ABI, so the same code
// runs in the proxy-wasm module and in the WASI harness. The ABI layer installs the sink.

export enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 }

let sink: (level: i32, message: string) => void = (level: i32, message: string): void => {};
let threshold: i32 = LogLevel.Info;

export function setLogSink(fn: (level: i32, message: string) => void): void {
  sink = fn;
}

/** the host's current level; messages below it are not even built by callers that check */
export function setLogThreshold(level: i32): void {
  threshold = level;
}

export function logEnabled(level: LogLevel): bool {
  return <i32>level >= threshold;
}

export function log(level: LogLevel, message: string): void {
  if (<i32>level >= threshold) sink(<i32>level, message);
}

/** masks a credential for logs: keeps a short prefix and the length, never the whole value */
export function mask(value: string): string {
  const shown = value.length > 8 ? value.substring(0, 2) : "";
  return "\"" + shown + "…\" (" + value.length.toString() + " chars)";
}
