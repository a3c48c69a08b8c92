// Stream lifecycle and request/response header maps. The request header `x-test` picks what
// on_request_headers does; results come back as request headers and log lines.
import * as abi from "./lib/abi";
import {
  addHeader, addHeaderRaw, getHeader, getHeaderRaw, headerPairs, log, or, RET, removeHeader,
  replaceHeader, sendLocalResponse, status,
} from "./lib/util";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

let remembered: u32 = 0;

export function proxy_on_context_create(context: u32, parent: u32): void {
  log(2, "create " + context.toString() + " parent " + parent.toString());
}

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  abi.proxy_get_header_map_size(0, RET);
  const byteSize = load<u32>(RET);
  const test = or(getHeader(0, "x-test"), "");
  addHeader(0, "x-count", headers.toString());
  addHeader(0, "x-eos", endOfStream.toString());
  addHeader(0, "x-byte-size", byteSize.toString());
  if (test == "pause") return 1;
  if (test == "reply") {
    sendLocalResponse(403, "denied by\tfixture", "nope\n", ["x-reply", "1"]);
    log(2, "after reply, path " + or(getHeader(0, ":path"), "<" + status.toString() + ">"));
    return 0;
  }
  if (test == "reply-twice") {
    sendLocalResponse(401, "first", "", []);
    sendLocalResponse(402, "second", "", []);
    return 1;
  }
  if (test == "mutate") {
    addHeader(0, "X-Added", "a");
    replaceHeader(0, "x-replace", "new");
    removeHeader(0, "x-remove");
    removeHeader(0, "x-never-there");
    addHeader(0, "x-remove-status", status.toString());
    addHeader(0, "x-first", or(getHeader(0, "x-multi"), "-"));
    const all = headerPairs(0);
    let multi = 0;
    for (let i = 0; i < all.length; i += 2) if (all[i] == "x-multi") multi++;
    addHeader(0, "x-multi-count", multi.toString());
    getHeader(0, "x-missing");
    addHeader(0, "x-missing-status", status.toString());
    return 0;
  }
  if (test == "continue-inline") {
    abi.proxy_continue_stream(0);
    getHeader(0, ":path");
    log(2, "get after continue_stream: " + status.toString());
    return 1;
  }
  if (test == "binary") {
    const raw = getHeaderRaw(0, "x-bin");
    if (raw !== null) addHeaderRaw(0, "x-bin-copy", raw);
    return 0;
  }
  if (test == "trap") unreachable();
  if (test == "remember") remembered = context;
  if (test == "poke") log(2, "set_effective_context(" + remembered.toString() + ") = " + abi.proxy_set_effective_context(remembered).toString());
  if (test == "close") {
    abi.proxy_close_stream(0);
    return 1;
  }
  if (test == "bad-stream-type") log(2, "continue_stream(7) = " + abi.proxy_continue_stream(7).toString());
  return 0;
}

export function proxy_on_response_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  replaceHeader(2, "powered-by", "fixture");
  getHeader(0, ":path");
  const requestMap = status;
  log(2, "response " + or(getHeader(2, ":status"), "-") + " headers " + headers.toString() + " eos " + endOfStream.toString() + " request map " + requestMap.toString());
  return 0;
}

export function proxy_on_log(context: u32): void {
  log(2, "log " + context.toString() + " path " + or(getHeader(0, ":path"), "-") + " status " + or(getHeader(2, ":status"), "-"));
}

export function proxy_on_done(context: u32): bool {
  log(2, "done " + context.toString());
  return true;
}

export function proxy_on_delete(context: u32): void {
  log(2, "delete " + context.toString());
}
