// A module built on our ABI binding (assembly/abi) alone, exercising every wrapper so the
// binding is tested against the Envoy-like host independently of the filter.
import { Action, BufferType, MapType, MetricType, Status, StreamType } from "../../assembly/abi/enums";
import { HttpContext, RootContext, setRootContextFactory } from "../../assembly/abi/context";
import * as host from "../../assembly/abi/host";
import { dispatchCall, QueueHandler, registerQueue } from "../../assembly/abi/calls";
import { CallAnswer, CallHandler } from "../../assembly/runtime/calls";
export * from "../../assembly/abi/exports";
import "../../assembly/runtime/abort";

function report(name: string, value: string): void {
  host.log(2, "binding " + name + "=" + value);
}

/** drains the queue it was registered for */
class Drain extends QueueHandler {
  onQueueReady(queueId: u32): void {
    let item = host.dequeue(queueId);
    while (item != null) {
      report("dequeued", String.UTF8.decode(item));
      item = host.dequeue(queueId);
    }
  }
}

/** a stream's call: the binding delivers the answer with the stream effective */
class StreamCall extends CallHandler {
  bodyLimit(): u32 {
    return 1024;
  }

  onAnswer(answer: CallAnswer): void {
    const status = answer.header(":status");
    report("call_status", status != null ? status : "none");
    report("call_body", String.UTF8.decode(answer.body()));
    if (status == null) report("call_failure_code", answer.failureStatus().toString());
    report("caller_gone", answer.callerGone.toString());
    if (answer.callerGone) return;
    if (status == "200") {
      host.addHeader(MapType.RequestHeaders, "x-after-call", "yes");
      host.continueStream(StreamType.HttpRequest);
    } else {
      host.sendLocalResponse(418, "binding denied", "no\n", ["x-reply", "1"]);
    }
  }
}

class BindingRoot extends RootContext {
  queue: u32 = 0;
  ticks: u32 = 0;

  onConfigure(size: u32): bool {
    report("config", String.UTF8.decode(host.getBuffer(BufferType.PluginConfiguration, size)));
    report("log_level", host.logLevel(-1).toString());
    report("time_positive", (host.nowNanoseconds() > 0).toString());

    const counter = host.defineMetric(MetricType.Counter, "binding_counter");
    const gauge = host.defineMetric(MetricType.Gauge, "binding_gauge");
    const histogram = host.defineMetric(MetricType.Histogram, "binding_histogram");
    host.incrementMetric(counter, 3);
    report("counter_zero_increment", (<i32>host.incrementMetric(counter, 0)).toString());
    host.recordMetric(gauge, 42);
    host.incrementMetric(gauge, -2);
    host.recordMetric(histogram, 7);
    report("counter", host.getMetric(counter).toString());
    report("gauge", host.getMetric(gauge).toString());

    const missing = host.getSharedData("binding/missing");
    report("missing_is_null", (missing.value == null).toString());
    host.setSharedData("binding/key", String.UTF8.encode("v1"), 0);
    const first = host.getSharedData("binding/key");
    host.setSharedData("binding/key", String.UTF8.encode("v2"), first.cas);
    const stale = host.setSharedData("binding/key", String.UTF8.encode("v3"), first.cas);
    report("cas_mismatch", (stale == Status.CasMismatch).toString());
    report("shared", String.UTF8.decode(host.getSharedData("binding/key").value as ArrayBuffer));

    this.queue = registerQueue(this.id, "binding-queue", new Drain());
    const resolved = host.resolveQueue("", "binding-queue");
    report("queue_resolves", (resolved.status == Status.Ok && resolved.id == this.queue).toString());
    host.enqueue(this.queue, String.UTF8.encode("item-1"));

    report("tick_status", (<i32>host.setTickPeriod(1000)).toString());
    report("property_in_root", (host.getProperty(["source", "address"]) == null).toString());
    const name = host.getProperty(["plugin_name"]);
    report("plugin_name", name ? String.UTF8.decode(name) : "none");
    return true;
  }

  onTick(): void {
    this.ticks++;
    report("ticks", this.ticks.toString());
  }

  newHttpContext(id: u32): HttpContext {
    return new BindingStream(id, this);
  }
}

class BindingStream extends HttpContext {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    const pairs = host.getHeaderPairs(MapType.RequestHeaders);
    report("pairs", (pairs.length / 2).toString() + "/" + numHeaders.toString());
    const first = host.getHeader(MapType.RequestHeaders, "x-dup");
    report("first_value", first != null ? first : "none");
    report("absent_is_null", (host.getHeader(MapType.RequestHeaders, "x-absent") == null).toString());
    host.replaceHeader(MapType.RequestHeaders, "x-dup", "replaced");
    host.removeHeader(MapType.RequestHeaders, "x-remove");
    const source = host.getProperty(["source", "address"]);
    report("source", source ? String.UTF8.decode(source) : "none");
    const status = dispatchCall(this.root.id, this.id, "backend", [":method", "GET", ":path", "/check", ":authority", "backend"], "", 500, new StreamCall());
    report("call_dispatched", (<i32>status).toString());
    return status == Status.Ok ? Action.Pause : Action.Continue;
  }
}

setRootContextFactory((id: u32): RootContext => new BindingRoot(id));
