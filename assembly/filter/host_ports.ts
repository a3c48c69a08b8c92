// The host behind the seams cache/, system/ and telemetry/ use (runtime/shared_data.ts,
// runtime/calls.ts, telemetry/metrics.ts): those folders never call the host themselves.
import { MetricType, Status } from "../abi/enums";
import * as host from "../abi/host";
import { dispatchCall } from "../abi/calls";
import { SharedBytes, SharedData, SharedText, SlotHead } from "../runtime/shared_data";
import { CallDispatcher, CallHandler } from "../runtime/calls";
import { MetricKind, MetricSink } from "../telemetry/metrics";

export class HostSharedData extends SharedData {
  readText(keyPtr: usize, keyLength: usize): SharedText {
    return host.getSharedText(keyPtr, keyLength);
  }

  readHead(keyPtr: usize, keyLength: usize, expected: string, into: SlotHead): void {
    host.getSharedHead(keyPtr, keyLength, expected, into);
  }

  writeHead(keyPtr: usize, keyLength: usize, head: SlotHead, tail: string, cas: u32): bool {
    return head.length >= 0 && host.setSharedHead(keyPtr, keyLength, head, tail, cas) == Status.Ok;
  }

  writeText(keyPtr: usize, keyLength: usize, value: string, cas: u32): bool {
    return host.setSharedText(keyPtr, keyLength, value, cas) == Status.Ok;
  }

  read(key: string): SharedBytes {
    return host.getSharedData(key);
  }

  write(key: string, value: ArrayBuffer, cas: u32): bool {
    return host.setSharedData(key, value, cas) == Status.Ok;
  }
}

/** calls made for root context `root`: their answers come with it effective */
export class RootCalls extends CallDispatcher {
  constructor(private root: u32) { super(); }

  dispatch(cluster: string, headers: Array<string>, body: string, timeoutMs: u32, handler: CallHandler): i32 {
    return <i32>dispatchCall(this.root, this.root, cluster, headers, body, timeoutMs, handler);
  }
}

export class HostMetrics extends MetricSink {
  define(kind: MetricKind, name: string): u32 {
    return host.defineMetric(<MetricType><i32>kind, name);
  }

  increment(id: u32, delta: i64): void {
    host.incrementMetric(id, delta);
  }

  record(id: u32, value: u64): void {
    host.recordMetric(id, value);
  }
}
