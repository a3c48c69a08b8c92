// Process-wide shared data and shared queues (§6), namespaced by vm_id. One SharedState is an
// Envoy process: every VM instance of a host uses it, and hosts given the same SharedState see
// each other's keys and queues (several plugins, or a reload, in one proxy).
import { Status } from "./abi";
import { binary, type Value } from "./bytes";

interface Entry {
  value: Uint8Array;
  cas: number;
}

export class SharedData {
  private namespaces = new Map<string, Map<string, Entry>>();
  private nextCas = 1;

  get(vmId: string, key: Value): Entry | undefined {
    return this.namespaces.get(vmId)?.get(binary(key));
  }

  /** cas 0 = unconditional; a differing token on an existing key = CAS_MISMATCH; a missing key
   *  is created whatever the token. Every write gets a fresh token from a global counter ≠ 0. */
  set(vmId: string, key: Value, value: Uint8Array, cas: number): Status {
    let map = this.namespaces.get(vmId);
    if (!map) this.namespaces.set(vmId, (map = new Map()));
    const existing = map.get(binary(key));
    if (existing && cas !== 0 && cas !== existing.cas) return Status.CasMismatch;
    map.set(binary(key), { value: value.slice(), cas: this.nextCas });
    this.nextCas = (this.nextCas + 1) >>> 0 || 1;
    return Status.Ok;
  }
}

interface Queue {
  items: Uint8Array[];
  /** tells the registrant (its root context, on its own instance) that data arrived; the
   *  registrant defers on_queue_ready, Envoy never runs it inside the enqueuing call */
  notify: (queueId: number) => void;
}

export class SharedQueues {
  private queues = new Map<number, Queue>();
  private ids = new Map<string, number>();
  private nextId = 1;

  /** creates or reopens (vm_id, name); the latest registrant receives on_queue_ready */
  register(vmId: Value, name: Value, notify: Queue["notify"]): number {
    const key = `${binary(vmId)}\0${binary(name)}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.nextId++));
      this.queues.set(id, { items: [], notify });
    } else this.queues.get(id)!.notify = notify;
    return id;
  }

  resolve(vmId: Value, name: Value): number | undefined {
    return this.ids.get(`${binary(vmId)}\0${binary(name)}`);
  }

  enqueue(id: number, value: Uint8Array): Status {
    const queue = this.queues.get(id);
    if (!queue) return Status.NotFound;
    queue.items.push(value.slice());
    queue.notify(id);
    return Status.Ok;
  }

  dequeue(id: number): Uint8Array | Status.NotFound | Status.Empty {
    const queue = this.queues.get(id);
    if (!queue) return Status.NotFound;
    return queue.items.shift() ?? Status.Empty;
  }
}

export class SharedState {
  readonly data = new SharedData();
  readonly queues = new SharedQueues();
}
