// POST /transactions.xml (docs/backend-protocol.md §3): batched usage, recorded without any limit check.
import { authenticateCaller, lookupService, stripped } from "./caller";
import { ApiError, errors } from "./errors";
import { parseTimestamp } from "./periods";
import { isHash, type Param, type ParamHash, parseQuery, stringParam } from "./query";
import type { Application, Service, SimState } from "./state";
import { parseUsage, type Usage, withHierarchy, withoutZeroDeltas } from "./usage";

/** A per-transaction problem: never returned to the caller, kept for tests to inspect. */
export interface ReportError {
  serviceId: string;
  transaction: string;
  code: string;
  message: string;
}

const MAX_AGE_MS = 24 * 3600_000;
const MAX_AHEAD_MS = 3600_000;

/** Parses the body by content type; anything but form, multipart or none is a 400. */
export function parseReportBody(contentType: string | undefined, body: string): ParamHash {
  const type = contentType?.split(";")[0]!.trim().toLowerCase();
  if (!type || type === "application/x-www-form-urlencoded") return parseQuery(body);
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
  if (type === "multipart/form-data" && boundary) return parseQuery(multipartAsQuery(body, boundary));
  throw errors.contentTypeInvalid(contentType!);
}

/**
 * Validates the batch, then records it as apisonator's worker does: all or nothing. The caller
 * gets 202 either way; a transaction the worker rejects (unknown application or user key, unknown
 * metric, bad value, timestamp out of range) discards the WHOLE batch. Returns that problem.
 */
export function report(state: SimState, params: ParamHash, flatUsage: boolean): ReportError[] {
  const service = lookupService(state, authenticateCaller(state, params), stripped(params, "service_id"));
  const transactions = params.get("transactions");
  if (transactions == null || transactions === "" || (typeof transactions === "object" && isEmpty(transactions))) {
    throw errors.transactionsIsBlank();
  }
  if (!isHash(transactions)) throw errors.transactionsFormatInvalid();
  const batch = [...transactions].map(([index, tx]) => {
    if (!isHash(tx) || tx.size === 0) throw errors.transactionsHasNilTransaction();
    if (tx.get("user_id") != null) throw errors.endUsersNoLongerSupported();
    return [index, tx] as const;
  }).filter(([, tx]) => !onlyZeroUsage(tx));
  let current = "";
  try {
    // the worker's order: every application first, then every usage, then every timestamp
    const apps = batch.map(([index, tx]) => { current = index; return transactionApplication(state, service, tx); });
    const usages = batch.map(([index, tx]) => { current = index; return transactionUsage(state, service, tx, flatUsage); });
    const times = batch.map(([index, tx]) => { current = index; return transactionTime(state.now(), stringParam(tx, "timestamp")); });
    batch.forEach((_, i) => state.record(apps[i]!, usages[i]!, times[i]));
    return [];
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return [{ serviceId: service.id, transaction: current, code: error.code ?? "", message: error.message }];
  }
}

/** The listener drops `"0"` usage values before queueing, and transactions left without any. */
function onlyZeroUsage(tx: ParamHash): boolean {
  const usage = tx.get("usage");
  if (!isHash(usage)) return false;
  for (const [metric, value] of usage) if (value === "0") usage.delete(metric);
  return usage.size === 0;
}

function transactionUsage(state: SimState, service: Service, tx: ParamHash, flatUsage: boolean): Usage {
  const rawUsage = tx.get("usage");
  const usage = parseUsage(state, service, isHash(rawUsage) ? rawUsage : undefined);
  return withoutZeroDeltas(flatUsage ? usage : withHierarchy(state, service, usage));
}

function transactionApplication(state: SimState, service: Service, tx: ParamHash): Application {
  const appId = stripped(tx, "app_id");
  const userKey = stripped(tx, "user_key");
  if (appId !== undefined && userKey !== undefined) throw errors.authenticationError();
  if (appId === undefined && userKey !== undefined) {
    const app = state.applicationByUserKey(service.id, userKey);
    if (!app) throw errors.userKeyInvalid(userKey);
    return app;
  }
  const app = appId === undefined ? undefined : state.application(service.id, appId);
  if (!app) throw errors.applicationNotFound(appId);
  return app;
}

/** The transaction's time: now when absent; refused when over 24 h old or over 1 h ahead. */
function transactionTime(now: number, timestamp: string | undefined): number {
  if (timestamp === undefined || timestamp.trim() === "") return now;
  const at = parseTimestamp(timestamp);
  if (at === undefined) throw new ApiError(400, "transaction_timestamp_invalid", `timestamp "${timestamp}" is invalid`);
  if (at < now - MAX_AGE_MS) {
    throw new ApiError(409, "transaction_timestamp_too_old", "reporting transactions older than 86400 seconds is not allowed");
  }
  if (at > now + MAX_AHEAD_MS) {
    throw new ApiError(409, "transaction_timestamp_too_new",
      "reporting transactions more than 3600 seconds in the future is not allowed");
  }
  return at;
}

const isEmpty = (value: ParamHash | Param[]) => (isHash(value) ? value.size === 0 : value.length === 0);

/** Re-encodes multipart form fields as a query string, byte for byte, so one parser handles both. */
function multipartAsQuery(body: string, boundary: string): string {
  const encode = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");
  return body.split(`--${boundary}`).slice(1, -1).flatMap((part) => {
    const split = part.indexOf("\r\n\r\n");
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (split < 0 || name === undefined) return [];
    return [`${encode(name)}=${encode(part.slice(split + 4).replace(/\r\n$/, ""))}`];
  }).join("&");
}
