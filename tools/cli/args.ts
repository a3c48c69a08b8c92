// A small argv parser: positionals plus declared `--name value` / `--name=value` options.
// Anything undeclared is a usage error (exit 2), so a typo never silently changes a dry run.

export class UsageError extends Error {}

export interface OptionSpec {
  /** "flag" takes no value; "list" may repeat; "value" may appear once */
  kind: "flag" | "value" | "list";
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  lists: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], values: new Map(), lists: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--") || arg === "--") {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.kind === "flag") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      parsed.flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.kind === "list") parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
    else if (parsed.values.has(name)) throw new UsageError(`--${name} given twice`);
    else parsed.values.set(name, value);
  }
  return parsed;
}

/** exactly one positional argument, named `what` in the message */
export function single(parsed: ParsedArgs, what: string): string {
  if (parsed.positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${parsed.positionals.length}`);
  return parsed.positionals[0];
}
