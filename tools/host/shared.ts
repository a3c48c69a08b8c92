// Process-wide shared data and shared queues (§6), namespaced by vm_id. One SharedState is an
// Envoy process: every VM instance of a host uses it, and hosts given the same SharedState see
// each other's keys and queues (several plugins, or a reload, in one proxy).
import { Status } from "./abi";
import { binary, fromBinary, toText, type Value } from "./bytes";

interface Entry {
  value: Uint8Array;
  cas: number;
}

/** a module's shared-data access, as an interleave hook sees it */
export interface SharedAccess {
  op: "get" | "set";
  /** the instance making it: "worker 0", "canary" */
  instance: string;
  vmId: string;
  /** the key, one char per byte */
  key: string;
  /** set: the value being written (UTF-8, lossy) */
  value?: string;
  /** get: the token answered (0: not found); set: the token passed (0: unconditional) */
  cas: number;
}

export type Interleave = (access: SharedAccess) => void;

/**
 * Envoy's shared data. Tests can stand in for other workers between a module's read and its
 * write (`interleave`, `failCas`), the only window where compare-and-swap matters, and can break
 * CAS (`ignoreCas`) to prove a test would catch a module that ignores it.
 */
export class SharedData {
  /** a mutation for tests: every module write is unconditional, as if the module passed cas 0 */
  ignoreCas = false;
  private namespaces = new Map<string, Map<string, Entry>>();
  private nextCas = 1;
  private hooks = new Set<{ pattern: RegExp; hook: Interleave }>();
  private inHook = false;

  /**
   * runs `hook` at each module access to a key matching `pattern`: after a get is answered and
   * before a set is applied, so whatever the hook writes (another worker's request or tick, or a
   * plain set) lands between the module's read and its write. Accesses made inside a hook do not
   * run hooks. Returns the function that removes the hook.
   */
  interleave(pattern: RegExp, hook: Interleave): () => void {
    const entry = { pattern, hook };
    this.hooks.add(entry);
    return () => this.hooks.delete(entry);
  }

  /**
   * the next `count` module writes with a token (≠ 0) to existing keys matching `pattern` fail
   * with CAS_MISMATCH, as if another worker had rewritten the value in between: its token changes,
   * its value does not. (A missing key is created whatever the token: nothing to fail there.)
   */
  failCas(pattern: RegExp, count: number): { readonly failed: number; remove(): void } {
    let failed = 0;
    const remove = this.interleave(pattern, ({ op, vmId, key, cas }) => {
      if (op !== "set" || cas === 0 || failed >= count) return;
      const entry = this.get(vmId, fromBinary(key));
      if (!entry) return;
      this.set(vmId, fromBinary(key), entry.value, 0);
      failed++;
    });
    return { get failed() { return failed; }, remove };
  }

  /** proxy_get_shared_data by `instance` */
  moduleGet(instance: string, vmId: string, key: Uint8Array): Entry | undefined {
    const entry = this.get(vmId, key);
    this.notify({ op: "get", instance, vmId, key: binary(key), cas: entry?.cas ?? 0 });
    return entry;
  }

  /** proxy_set_shared_data by `instance` */
  moduleSet(instance: string, vmId: string, key: Uint8Array, value: Uint8Array, cas: number): Status {
    this.notify({ op: "set", instance, vmId, key: binary(key), value: toText(value), cas });
    return this.set(vmId, key, value, this.ignoreCas ? 0 : cas);
  }

  private notify(access: SharedAccess): void {
    if (this.inHook) return;
    this.inHook = true;
    try {
      for (const { pattern, hook } of [...this.hooks]) if (pattern.test(access.key)) hook(access);
    } finally {
      this.inHook = false;
    }
  }

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
