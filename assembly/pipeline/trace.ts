// What `decide` reports of its steps when asked: the service chosen, each lookup source tried
// with its stack after every operation, the credentials, the mapping rules matched and the
// usages. The filter never passes one, so each hook costs it a null check; only the WASI harness
// implements it (assembly/wasi/trace.ts), which keeps the recording out of the proxy-wasm module.
import { LookupSource } from "../config/types";
import { StackObserver } from "../ops/run";
import { ResolvedCredentials } from "./credentials";
import { Usages } from "./usages";

export abstract class DecisionTrace extends StackObserver {
  /** services[index] matched `authority` by its pattern authorities[pattern]; index -1: none did */
  abstract service(authority: string, index: i32, pattern: i32): void;
  /** a lookup source is tried; `stack` is what it found (its operations follow), null: nothing */
  abstract lookup(source: LookupSource, stack: Array<string> | null): void;
  abstract credentials(found: ResolvedCredentials): void;
  /** service.rules[index] matched the request */
  abstract rule(index: i32): void;
  abstract usages(usages: Usages): void;
}
