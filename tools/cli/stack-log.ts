// The module's `values` operation log line (assembly/ops/stack_ops.ts ValuesOp):
//   [3scale-auth/stack] values at <id>: "a", "b\"c"     (debug: quoted; info and above: masked)

const PREFIX = "[3scale-auth/stack] values at ";
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
const ALL_QUOTED = /^(?:"(?:[^"\\]|\\.)*"(?:, (?!$)|$))*$/;
const UNESCAPE: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

export interface ValuesLine {
  id: string;
  /** undefined when the module masked them (level info or above) */
  values?: string[];
}

export function parseValuesLine(message: string): ValuesLine | undefined {
  if (!message.startsWith(PREFIX)) return undefined;
  const rest = message.slice(PREFIX.length);
  // the values part starts at the first `: "` (our ids never contain one), or is empty
  const split = rest.endsWith(": ") ? rest.length - 2 : rest.indexOf(": \"");
  if (split < 0) return { id: rest };
  const shown = rest.slice(split + 2);
  const values = ALL_QUOTED.test(shown) ? [...shown.matchAll(QUOTED)].map((m) => m[1].replace(/\\(.)/g, (_, c) => UNESCAPE[c] ?? c)) : undefined;
  return { id: rest.slice(0, split), values };
}

export function valuesLinePrefix(id: string): string {
  return `${PREFIX}${id}: `;
}
