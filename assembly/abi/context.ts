// Context objects of the ABI: a root context per plugin and VM, an HTTP context per stream.
// Filters extend these and register a root factory; exports.ts dispatches host callbacks (call
// answers and queue wake-ups go to handlers, calls.ts).
import { Action } from "./enums";

export class RootContext {
  constructor(public id: u32) {}
  onVmStart(vmConfigSize: u32): bool { return true; }
  onConfigure(configSize: u32): bool { return true; }
  onTick(): void {}
  /** after a call answer of this root context went to its handler (abi/calls.ts) */
  afterCallAnswer(): void {}
  /** the plugin is being removed: false keeps the context (ticks, call answers) until it calls `host.done()` */
  onDone(): bool { return true; }
  /** the HTTP context for a new stream of this plugin */
  newHttpContext(id: u32): HttpContext { return new HttpContext(id, this); }
}

export class HttpContext {
  constructor(public id: u32, public root: RootContext) {}
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action { return Action.Continue; }
  onResponseHeaders(numHeaders: u32, endOfStream: bool): Action { return Action.Continue; }
  onDelete(): void {}
}

let rootFactory: (id: u32) => RootContext = (id: u32): RootContext => new RootContext(id);

export function setRootContextFactory(factory: (id: u32) => RootContext): void {
  rootFactory = factory;
}

// A stream callback for a context id the module has no stream for (never created, its plugin
// unknown or gone): the filter answers it (a denial; continuing would let it through unchecked).
let unknownStreamHandler: () => Action = (): Action => Action.Pause;

export function setUnknownStreamHandler(handler: () => Action): void {
  unknownStreamHandler = handler;
}

export function answerUnknownStream(): Action {
  return unknownStreamHandler();
}

export function createRootContext(id: u32): RootContext {
  return rootFactory(id);
}
