// Fault injection (tools/simulator/README.md), switchable at run time.

export type FaultScope = "backend" | "config" | "any";
const ANSWERS = ["normal", "close", "error", "empty", "garbage", "malformed-json", "huge"] as const;
export type FaultAnswer = (typeof ANSWERS)[number];

export interface Fault {
  /** `backend`: the Service Management API; `config`: the proxy-config endpoint. Default `any`. */
  scope?: FaultScope;
  /** Applies to the next n matching requests only; default: until cleared. */
  times?: number;
  /** Waits this long before answering (the request is processed after the wait). */
  delayMs?: number;
  /**
   * `normal` (default) answers normally; `close` drops the connection without an answer; `error`
   * answers `status` (default 503) with an empty body; `empty` is a 200 with no body; `garbage`
   * a 200 with bytes that are neither XML nor JSON; `malformed-json` a 200 with truncated JSON;
   * `huge` a 200 with a `bytes`-long body (default 8 MiB). Faulty answers process nothing.
   */
  answer?: FaultAnswer;
  status?: number;
  bytes?: number;
}

interface FaultyAnswer {
  status: number;
  body: Buffer;
}

const GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x3c, 0x3c, 0x7b, 0x5b, 0x21, 0x2d, 0x2d, 0x0a]);

export class Faults {
  private active: Fault[] = [];

  get list(): readonly Fault[] {
    return this.active;
  }

  inject(fault: Fault): void {
    if (fault.answer !== undefined && !ANSWERS.includes(fault.answer)) throw new Error(`unknown fault answer ${fault.answer}`);
    if (fault.scope !== undefined && !["backend", "config", "any"].includes(fault.scope)) throw new Error(`unknown fault scope ${fault.scope}`);
    this.active.push({ ...fault });
  }

  clear(): void {
    this.active = [];
  }

  /** The first fault matching a request of this scope (as injected), counting it against `times`. */
  take(scope: Exclude<FaultScope, "any">): Fault | undefined {
    const fault = this.active.find((f) => (f.scope ?? "any") === "any" || f.scope === scope);
    if (!fault) return undefined;
    const taken = { ...fault };
    if (fault.times !== undefined && --fault.times <= 0) this.active = this.active.filter((f) => f !== fault);
    return taken;
  }
}

/** The answer replacing the real one, for the answers that are neither `normal` nor `close`. */
export function faultyAnswer(fault: Fault): FaultyAnswer {
  switch (fault.answer) {
    case "error": return { status: fault.status ?? 503, body: Buffer.alloc(0) };
    case "empty": return { status: 200, body: Buffer.alloc(0) };
    case "garbage": return { status: 200, body: GARBAGE };
    case "malformed-json": return { status: 200, body: Buffer.from('{"proxy_config":{"id":1,"version":2,"content":{"id":') };
    case "huge": return { status: 200, body: Buffer.alloc(fault.bytes ?? 8 * 1024 * 1024, "x") };
    default: throw new Error(`fault answer ${fault.answer} has no body`);
  }
}
