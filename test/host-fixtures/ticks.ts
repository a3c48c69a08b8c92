// Ticks, time and metrics. The configuration is the tick period in ms. x-test "metrics" runs a
// fixed script of metric operations and reports each status as a request header; "period"
// sets the tick period from a stream context (x-period).
import * as abi from "./lib/abi";
import { addHeader, bytes, getBuffer, getHeader, log, or, parseU32, ptr, RET } from "./lib/util";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

let ticks: u32 = 0;
let requests: u32 = 0;
let gauge: u32 = 0;
let histogram: u32 = 0;

function define(type: i32, name: string): u32 {
  const n = bytes(name);
  abi.proxy_define_metric(type, ptr(n), n.byteLength, RET + 8);
  return load<u32>(RET + 8);
}

function value(id: u32): string {
  const result = abi.proxy_get_metric(id, RET + 8);
  return result == 0 ? load<u64>(RET + 8).toString() : "<" + result.toString() + ">";
}

export function proxy_on_configure(root: u32, size: u32): bool {
  ticks = define(0, "fixture.ticks");
  requests = define(0, "fixture.requests");
  gauge = define(1, "fixture.gauge");
  histogram = define(2, "fixture.latency");
  log(2, "metric ids " + ticks.toString() + " " + requests.toString() + " " + gauge.toString() + " " + histogram.toString());
  abi.proxy_set_tick_period_milliseconds(parseU32(getBuffer(7, 0, size)));
  return true;
}

export function proxy_on_tick(root: u32): void {
  abi.proxy_increment_metric(ticks, 1);
  abi.proxy_get_current_time_nanoseconds(RET);
  const proxyTime = load<u64>(RET);
  abi.clock_time_get(0, 1, RET);
  log(2, "tick on root " + root.toString() + " at " + proxyTime.toString() + " wasi " + load<u64>(RET).toString());
}

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  const test = or(getHeader(0, "x-test"), "");
  if (test == "period") abi.proxy_set_tick_period_milliseconds(parseU32(getHeader(0, "x-period")));
  if (test != "metrics") return 0;
  addHeader(0, "x-inc-zero", abi.proxy_increment_metric(requests, 0).toString());
  addHeader(0, "x-inc-negative", abi.proxy_increment_metric(requests, -1).toString());
  addHeader(0, "x-inc", abi.proxy_increment_metric(requests, 1).toString());
  addHeader(0, "x-record-counter", abi.proxy_record_metric(requests, 5).toString());
  addHeader(0, "x-counter", value(requests));
  addHeader(0, "x-gauge-record", abi.proxy_record_metric(gauge, 10).toString());
  addHeader(0, "x-gauge-dec", abi.proxy_increment_metric(gauge, -3).toString());
  addHeader(0, "x-gauge", value(gauge));
  addHeader(0, "x-hist-inc", abi.proxy_increment_metric(histogram, 1).toString());
  addHeader(0, "x-hist-record", abi.proxy_record_metric(histogram, 42).toString());
  addHeader(0, "x-hist-get", value(histogram));
  addHeader(0, "x-unknown", abi.proxy_increment_metric(4000, 1).toString());
  const n = bytes("bad");
  addHeader(0, "x-bad-type", abi.proxy_define_metric(3, ptr(n), n.byteLength, RET + 8).toString());
  return 0;
}
