// `try` options → the request the host delivers and how the authrep call is answered.
import type { CallHandler, Header, RequestSpec } from "../host/types";
import { type ParsedArgs, UsageError } from "./args";
import type { ConfigView } from "./config-view";

const GLOB_META = /[*?+[\]{}\\]/;

export function requestSpec(args: ParsedArgs, view: ConfigView): RequestSpec {
  const pseudo: Header[] = [
    [":authority", args.values.get("authority") ?? defaultAuthority(view)],
    [":path", args.values.get("path") ?? "/"],
    [":method", args.values.get("method") ?? "GET"],
    [":scheme", "https"],
  ];
  const given = (args.lists.get("header") ?? []).map(parseHeader);
  // a pseudo header given with --header replaces the default one, in place
  const headers = pseudo.map(([name, value]) => given.find(([n]) => n === name) ?? [name, value]) as Header[];
  headers.push(...given.filter(([name]) => !pseudo.some(([n]) => n === name)));
  const metadata = args.values.get("metadata");
  return { headers, ...(metadata !== undefined && { metadata: parseMetadata(metadata) }) };
}

/** the first authority of the configuration that is a literal host, not a glob */
function defaultAuthority(view: ConfigView): string {
  const literal = view.services.flatMap((s) => s.authorities).find((a) => !GLOB_META.test(a));
  if (literal === undefined) throw new UsageError("no literal authority in the configuration: pass --authority HOST");
  return literal;
}

function parseHeader(text: string): Header {
  const colon = text.indexOf(":", 1); // a pseudo header name starts with one
  if (colon < 0) throw new UsageError(`--header ${JSON.stringify(text)}: expected "name: value"`);
  // Envoy delivers header names in lower case
  return [text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim()];
}

function parseMetadata(text: string): RequestSpec["metadata"] {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--metadata: ${(e as Error).message}`);
  }
  const isObject = (v: unknown): v is object => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(metadata) || !Object.values(metadata).every(isObject)) {
    throw new UsageError(`--metadata: expected {"<filter namespace>": {…}, …}`);
  }
  return metadata as RequestSpec["metadata"];
}

export interface Backend {
  cluster: string | CallHandler;
  /** for the output */
  description: string;
}

/** --backend URL, or --answer (default 200) answered by the host itself */
export function backend(args: ParsedArgs): Backend {
  const url = args.values.get("backend");
  const answer = args.values.get("answer");
  const reason = args.values.get("rejection-reason");
  if (url !== undefined) {
    if (answer !== undefined || reason !== undefined) throw new UsageError("--backend excludes --answer and --rejection-reason");
    return { cluster: url, description: `the backend at ${url}` };
  }
  const answered = answer ?? "200";
  if (answered === "reset" || answered === "timeout" || answered === "refused") {
    if (reason !== undefined) throw new UsageError(`--rejection-reason needs a status answer, not ${answered}`);
    return { cluster: () => answered, description: `--answer ${answered}` };
  }
  if (!/^[1-5]\d\d$/.test(answered)) throw new UsageError(`--answer ${answered}: expected a status (200, 409, …), reset, timeout or refused`);
  const headers: Header[] = reason === undefined ? [] : [["3scale-rejection-reason", reason]];
  const description = `--answer ${answered}${reason === undefined ? "" : ` with 3scale-rejection-reason: ${reason}`}`;
  return { cluster: () => ({ status: Number(answered), headers }), description };
}
