// Reads the import and export signatures out of a .wasm binary. Node 20's
// WebAssembly.Module.imports() has no types, and Envoy checks types, so we parse the type,
// import, function and export sections ourselves (core spec, MVP encodings).

export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

export interface ImportEntry {
  module: string;
  name: string;
  kind: ExternKind;
  /** Envoy-printed function type ("i32 i32 -> i32"), functions only */
  type?: string;
}

export interface ExportEntry {
  name: string;
  kind: ExternKind;
  type?: string;
}

export interface ModuleSignatures {
  imports: ImportEntry[];
  exports: ExportEntry[];
}

const KINDS: ExternKind[] = ["function", "table", "memory", "global", "tag"];
const VALUE_TYPES: Record<number, string> = {
  0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref",
};

class Reader {
  constructor(private bytes: Uint8Array, public pos = 0) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error("Failed to parse corrupted Wasm module");
    return this.bytes[this.pos++];
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
    }
  }

  name(): string {
    const size = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + size));
    this.pos += size;
    return text;
  }

  valueTypes(): string {
    const n = this.u32();
    const types = Array.from({ length: n }, () => VALUE_TYPES[this.byte()] ?? "unknown");
    return types.length ? types.join(" ") : "void";
  }

  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

export function readSignatures(bytes: Uint8Array): ModuleSignatures {
  const r = new Reader(bytes, 8);
  const types: string[] = [];
  const functionTypes: string[] = []; // function index space: imports first, then definitions
  const imports: ImportEntry[] = [];
  const exports: ExportEntry[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        if (r.byte() !== 0x60) throw new Error("unsupported type section entry");
        const params = r.valueTypes();
        types.push(`${params} -> ${r.valueTypes()}`);
      }
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const entry: ImportEntry = { module: r.name(), name: r.name(), kind: KINDS[r.byte()] };
        if (entry.kind === "function") functionTypes.push((entry.type = types[r.u32()]));
        else if (entry.kind === "table") (r.byte(), r.limits());
        else if (entry.kind === "memory") r.limits();
        else if (entry.kind === "global") (r.byte(), r.byte());
        else (r.byte(), r.u32());
        imports.push(entry);
      }
    } else if (id === 3) {
      for (let n = r.u32(); n > 0; n--) functionTypes.push(types[r.u32()]);
    } else if (id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        const kind = KINDS[r.byte()];
        const index = r.u32();
        exports.push(kind === "function" ? { name, kind, type: functionTypes[index] } : { name, kind });
      }
    }
    r.pos = end;
  }
  return { imports, exports };
}
