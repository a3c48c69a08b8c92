// Shared helpers for the ops tests: loads a unit entry of test/as/ops and runs pipelines
// through its JSON-in/JSON-out surface.
import { loadAsUnit } from "../support/as-unit";

export interface Outcome {
  stack?: string[];
  fail?: boolean;
  config_error?: string;
  warnings: string[];
}

export interface OpsUnit {
  run(opsJson: string, stackJson: string, path: string): string;
  repeat(opsJson: string, stackJson: string, times: number): string;
  captureLogs(threshold: number): void;
  takeLogs(): string;
  globMatch(pattern: string, subject: string): string;
  structFromHex(hex: string): string;
  metadataFromHex(hex: string): string;
  step(json: string, step: string): string;
}

export async function loadOps(entry: string): Promise<OpsUnit> {
  return loadAsUnit<OpsUnit>(`test/as/ops/${entry}.ts`, {
    env: { abort: (_m: number, _f: number, line: number, col: number) => { throw new Error(`AS abort at ${line}:${col}`); } },
  });
}

/** parses `ops` (as the JSON value at `path`) and runs it on `input` */
export function runOps(m: OpsUnit, ops: unknown, input: string[], path = "ops"): Outcome {
  return JSON.parse(m.run(JSON.stringify(ops), JSON.stringify(input), path));
}

/** the outcome as one comparable value: the final stack, "fails" or "config error" */
export function verdict(o: Outcome): string[] | "fails" | "config error" {
  if (o.config_error !== undefined) return "config error";
  return o.fail ? "fails" : (o.stack as string[]);
}
