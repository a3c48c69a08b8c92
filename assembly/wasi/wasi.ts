// The few WASI preview1 calls the harness needs, declared here rather than through
// @assemblyscript/wasi-shim so the module's import list is exactly what we wrote.
@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: u32, iovs: usize, iovsLen: usize, nread: usize): u16;
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovsLen: usize, nwritten: usize): u16;
@external("wasi_snapshot_preview1", "proc_exit")
export declare function proc_exit(code: u32): void;

export const STDIN: u32 = 0;
export const STDOUT: u32 = 1;
export const STDERR: u32 = 2;

const CHUNK: i32 = 64 * 1024;

/** the whole of a file descriptor until end of file, or null on a read error */
export function readAll(fd: u32): Uint8Array | null {
  let buffer = new Uint8Array(CHUNK);
  let length = 0;
  // one iovec {ptr, len} followed by the nread result
  const scratch = memory.data(12);
  while (true) {
    if (length == buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    store<u32>(scratch, <u32>(buffer.dataStart + <usize>length));
    store<u32>(scratch, <u32>(buffer.length - length), 4);
    if (fd_read(fd, scratch, 1, scratch + 8) != 0) return null;
    const n = load<u32>(scratch, 8);
    if (n == 0) return buffer.subarray(0, length);
    length += <i32>n;
  }
}

/** writes all of `text` as UTF-8, retrying short writes; false on a write error */
export function writeAll(fd: u32, text: string): bool {
  const bytes = String.UTF8.encode(text);
  let offset: usize = 0;
  const total = <usize>bytes.byteLength;
  const scratch = memory.data(12);
  while (offset < total) {
    store<u32>(scratch, <u32>(changetype<usize>(bytes) + offset));
    store<u32>(scratch, <u32>(total - offset), 4);
    if (fd_write(fd, scratch, 1, scratch + 8) != 0) return false;
    offset += <usize>load<u32>(scratch, 8);
  }
  return true;
}
