// The Service Management API over HTTP (tools/simulator/README.md): routing, common headers,
// and turning answers, denials and errors into responses.
import { type AuthEndpoint, authorize } from "./authorize";
import { ApiError } from "./errors";
import { type Extensions, limitHeaders, parseExtensions, rejectionHeaders, withLegacyNoBody } from "./extensions";
import { type ParamHash, parseQuery } from "./query";
import { parseReportBody, report, type ReportError } from "./report";
import type { SimState } from "./state";
import { errorXml, statusXml } from "./xml";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface IncomingCall {
  method: string;
  pathname: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const XML_TYPE = "application/vnd.3scale-v2.0+xml";
const BACKEND_VERSION = "3.6.0-simulator";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Link, 3scale-rejection-reason",
};
const CSP = { "Content-Security-Policy": "default-src 'self'" };
const PREFLIGHT = {
  "Access-Control-Max-Age": "86400",
  "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE",
  "Access-Control-Allow-Headers": "Authorization, Accept-Encoding, Content-Type, Cache-Control, Accept, If-Match, " +
    "If-Modified-Since, If-None-Match, If-Unmodified-Since, X-Requested-With, X-HTTP-Method-Override, 3scale-options",
};

const AUTH_PATHS: Record<string, AuthEndpoint> = {
  "/transactions/authrep.xml": "authrep",
  "/transactions/authorize.xml": "authorize",
  "/transactions/oauth_authrep.xml": "oauth_authrep",
  "/transactions/oauth_authorize.xml": "oauth_authorize",
};

/** `onReportErrors` receives the per-transaction problems of accepted reports. */
export function serviceManagementAnswer(
  state: SimState, call: IncomingCall, onReportErrors: (errors: ReportError[]) => void,
): HttpAnswer {
  const { method, pathname } = call;
  const authEndpoint = AUTH_PATHS[pathname];
  if (method === "OPTIONS") return success(204, XML_TYPE, "", PREFLIGHT);
  if (method === "GET" && authEndpoint) {
    return transactionCall(call, (params, ext) => {
      const answer = authorize(state, authEndpoint, params, ext);
      const body = ext.noBody ? "" : statusXml(state, answer, ext);
      return success(answer.authorized ? 200 : 409, XML_TYPE, body, {
        ...rejectionHeaders(answer, ext),
        ...limitHeaders(state, answer, ext),
      });
    });
  }
  if (method === "POST" && pathname === "/transactions.xml") {
    return transactionCall(call, (query, ext) => {
      // like Rack's params, body fields override query fields
      const params = new Map([...query, ...parseReportBody(header(call, "content-type"), call.body)]);
      onReportErrors(report(state, params, ext.flatUsage));
      return success(202, XML_TYPE, "");
    });
  }
  if (method === "GET" && pathname === "/status") {
    return success(200, "application/json", JSON.stringify({ status: "ok", version: { backend: BACKEND_VERSION } }));
  }
  if (method === "GET" && pathname === "/check.txt") return success(200, "text/plain", "ok");
  if (method === "HEAD" && pathname === "/available") return success(200, "text/plain", "");
  return { status: 404, headers: { ...CORS, "Content-Type": XML_TYPE }, body: "" };
}

/**
 * Parses the extensions and the query, then runs the handler; ApiErrors become `<error>` answers,
 * with an empty body when `no_body` is on and the query parsed.
 */
function transactionCall(call: IncomingCall, handler: (params: ParamHash, ext: Extensions) => HttpAnswer): HttpAnswer {
  let noBody = false;
  try {
    const headerExt = parseExtensions(header(call, "3scale-options"));
    // apisonator answers a query it cannot parse (bad %-encoding, not UTF-8) with a body even under no_body
    const params = parseQuery(call.query);
    const ext = withLegacyNoBody(headerExt, params);
    noBody = ext.noBody;
    return handler(params, ext);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const body = noBody || error.code === null ? "" : errorXml(error.code, error.message);
    return { status: error.status, headers: { ...CORS, "Content-Type": XML_TYPE }, body };
  }
}

function success(status: number, contentType: string, body: string, extra: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { ...CORS, ...CSP, "Content-Type": contentType, ...extra }, body };
}

function header(call: IncomingCall, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
