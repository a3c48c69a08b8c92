// Custom metrics with Envoy's semantics (§8), which differ from the ABI text: counter increment
// needs delta > 0, record on a counter adds, histograms only record, get on a histogram is
// BAD_ARGUMENT. Stats live in one store per proxy, so values aggregate across VM instances;
// ids are per instance, low 2 bits = type, first id of each type is type + 4 (Envoy's counters).
import { Status } from "./abi";

export type MetricKind = "counter" | "gauge" | "histogram";
const KINDS: MetricKind[] = ["counter", "gauge", "histogram"];

export interface MetricSnapshot {
  kind: MetricKind;
  /** counter/gauge value; histogram: number of samples */
  value: number;
  /** histogram samples, in recording order */
  samples: number[];
}

class Stat {
  value = 0n;
  samples: bigint[] = [];
  constructor(readonly kind: MetricKind) {}
}

const CUSTOM_PREFIX = "wasmcustom.";

export class MetricStore {
  private stats = new Map<string, Stat>();

  stat(kind: MetricKind, name: string): Stat {
    const key = `${kind} ${name}`;
    let stat = this.stats.get(key);
    if (!stat) this.stats.set(key, (stat = new Stat(kind)));
    return stat;
  }

  /** by the module's name, or as Envoy's /stats may show it (`wasmcustom.<name>`) */
  get(name: string): MetricSnapshot | undefined {
    const bare = name.startsWith(CUSTOM_PREFIX) ? name.slice(CUSTOM_PREFIX.length) : name;
    for (const kind of KINDS) {
      const stat = this.stats.get(`${kind} ${bare}`);
      if (stat) return snapshot(stat);
    }
    return undefined;
  }

  all(): Record<string, MetricSnapshot> {
    return Object.fromEntries([...this.stats].map(([key, stat]) => [key.slice(key.indexOf(" ") + 1), snapshot(stat)]));
  }
}

function snapshot(stat: Stat): MetricSnapshot {
  const samples = stat.samples.map(Number);
  return { kind: stat.kind, value: stat.kind === "histogram" ? samples.length : Number(stat.value), samples };
}

export class InstanceMetrics {
  private byId = new Map<number, Stat>();
  private lastId = [0, 1, 2];

  constructor(private readonly store: MetricStore) {}

  /** the new id, or undefined for an unknown type (BAD_ARGUMENT) */
  define(type: number, name: string): number | undefined {
    if (type > 2) return undefined;
    const id = (this.lastId[type] += 4);
    this.byId.set(id, this.store.stat(KINDS[type], name));
    return id;
  }

  increment(id: number, delta: bigint): Status {
    const type = KINDS[id & 3];
    if (type !== "counter" && type !== "gauge") return Status.BadArgument;
    const stat = this.byId.get(id);
    if (!stat) return Status.NotFound;
    if (type === "counter" && delta <= 0n) return Status.BadArgument;
    stat.value += delta;
    return Status.Ok;
  }

  record(id: number, value: bigint): Status {
    const stat = this.byId.get(id);
    if (!stat) return Status.NotFound;
    const unsigned = BigInt.asUintN(64, value);
    if (stat.kind === "counter") stat.value += unsigned;
    else if (stat.kind === "gauge") stat.value = unsigned;
    else stat.samples.push(unsigned);
    return Status.Ok;
  }

  get(id: number): bigint | Status {
    const type = KINDS[id & 3];
    if (type !== "counter" && type !== "gauge") return Status.BadArgument;
    return this.byId.get(id)?.value ?? Status.NotFound;
  }
}
