// Access to the module's linear memory with Envoy's bounds rules: an out-of-range pointer makes
// the import return INVALID_MEMORY_ACCESS (the import wrapper turns MemoryAccessError into it).
import { Status } from "./abi";
import { toText } from "./bytes";

export class MemoryAccessError extends Error {}

export class ModuleMemory {
  constructor(
    private readonly memory: WebAssembly.Memory,
    /** the module's allocator; 0 = failure */
    private readonly allocate: (size: number) => number,
  ) {}

  /** size of the linear memory in 64 KiB Wasm pages */
  get pages(): number {
    return this.memory.buffer.byteLength / 65536;
  }

  // Re-read memory.buffer every time: the allocator may grow (and so detach) it.
  private view(ptr: number, size: number): Uint8Array {
    const buffer = this.memory.buffer;
    if (ptr + size > buffer.byteLength) throw new MemoryAccessError(`${ptr}+${size} is out of bounds`);
    return new Uint8Array(buffer, ptr, size);
  }

  read(ptr: number, size: number): Uint8Array {
    return this.view(ptr, size).slice();
  }

  readText(ptr: number, size: number): string {
    return toText(this.view(ptr, size));
  }

  readU32(ptr: number): number {
    const b = this.view(ptr, 4);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }

  write(ptr: number, data: Uint8Array): void {
    this.view(ptr, data.length).set(data);
  }

  writeU32(ptr: number, value: number): void {
    const b = this.view(ptr, 4);
    new DataView(b.buffer, b.byteOffset, 4).setUint32(0, value >>> 0, true);
  }

  writeU64(ptr: number, value: bigint): void {
    const b = this.view(ptr, 8);
    new DataView(b.buffer, b.byteOffset, 8).setBigUint64(0, BigInt.asUintN(64, value), true);
  }

  /** §4.1: hand bytes to the module in a block from its allocator (it owns and frees it);
   *  an empty value is (0,0) without allocating. */
  give(data: Uint8Array, ptrPtr: number, sizePtr: number): Status {
    let ptr = 0;
    if (data.length > 0) {
      ptr = this.allocate(data.length);
      if (ptr === 0) return Status.InvalidMemoryAccess;
      this.write(ptr, data);
    }
    this.writeU32(ptrPtr, ptr);
    this.writeU32(sizePtr, data.length);
    return Status.Ok;
  }
}
