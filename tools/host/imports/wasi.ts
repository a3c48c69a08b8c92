// WASI preview1 as Envoy implements it (§2.3): stdout/stderr go to the log, clocks read the
// host's virtual clock, the environment comes from the VM config, no arguments, proc_exit only
// logs and returns, everything file- or socket-related is a stub with Envoy's errno.
import { randomFillSync } from "node:crypto";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

const SUCCESS = 0;
const BADF = 8;
const INVAL = 28;
const NOENT = 44;
const NOSYS = 52;
const NOTSUP = 58;
export const WASI_EFAULT = 21;

const RANDOM_MAX = 64 * 1024;
const FDSTAT_SIZE = 24;
const FILETYPE_CHARACTER_DEVICE = 2;
const LOG_INFO = 2;
const LOG_ERROR = 4;

const stubs = (errno: number, names: string[]): ImportGroup =>
  Object.fromEntries(names.map((name) => [name, () => errno]));

export function wasiImports(vm: VmInstance): ImportGroup {
  const environment = vm.host.environment.map((entry) => new TextEncoder().encode(`${entry}\0`));
  const isStdio = (fd: number) => fd === 1 || fd === 2;
  return {
    ...stubs(NOSYS, ["fd_read", "fd_pread", "fd_prestat_dir_name", "fd_fdstat_set_flags", "fd_seek", "fd_close", "fd_readdir"]),
    ...stubs(BADF, ["fd_prestat_get", "fd_filestat_get", "fd_renumber"]),
    ...stubs(NOENT, ["path_open"]),
    ...stubs(NOTSUP, [
      "path_create_directory", "path_filestat_get", "path_remove_directory", "path_unlink_file",
      "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
    ]),
    args_sizes_get(countPtr: number, sizePtr: number) {
      vm.memory.writeU32(countPtr, 0);
      vm.memory.writeU32(sizePtr, 0);
      return SUCCESS;
    },
    args_get: () => SUCCESS,
    environ_sizes_get(countPtr: number, sizePtr: number) {
      vm.memory.writeU32(countPtr, environment.length);
      vm.memory.writeU32(sizePtr, environment.reduce((n, e) => n + e.length, 0));
      return SUCCESS;
    },
    environ_get(pointersPtr: number, bufferPtr: number) {
      environment.forEach((entry, i) => {
        vm.memory.writeU32(pointersPtr + 4 * i, bufferPtr);
        vm.memory.write(bufferPtr, entry);
        bufferPtr += entry.length;
      });
      return SUCCESS;
    },
    clock_res_get(clock: number, retPtr: number) {
      if (clock > 1) return NOTSUP;
      vm.memory.writeU64(retPtr, 1n);
      return SUCCESS;
    },
    clock_time_get(clock: number, _precision: bigint, retPtr: number) {
      if (clock > 1) return NOTSUP;
      vm.memory.writeU64(retPtr, clock === 0 ? vm.host.clock.realtimeNs() : vm.host.clock.monotonicNs());
      return SUCCESS;
    },
    fd_write(fd: number, iovs: number, iovsCount: number, writtenPtr: number) {
      if (!isStdio(fd)) return BADF;
      const chunks = Array.from({ length: iovsCount }, (_, i) =>
        vm.memory.read(vm.memory.readU32(iovs + 8 * i), vm.memory.readU32(iovs + 8 * i + 4)),
      );
      const bytes = Buffer.concat(chunks);
      vm.host.log(vm, fd === 1 ? LOG_INFO : LOG_ERROR, bytes.toString("utf8").replace(/\n$/, ""));
      vm.memory.writeU32(writtenPtr, bytes.length);
      return SUCCESS;
    },
    fd_fdstat_get(fd: number, statPtr: number) {
      if (!isStdio(fd)) return BADF;
      const stat = new Uint8Array(FDSTAT_SIZE);
      stat[0] = FILETYPE_CHARACTER_DEVICE;
      vm.memory.write(statPtr, stat);
      return SUCCESS;
    },
    random_get(ptr: number, size: number) {
      if (size > RANDOM_MAX) return INVAL;
      vm.memory.write(ptr, randomFillSync(new Uint8Array(size)));
      return SUCCESS;
    },
    proc_exit(code: number) {
      vm.host.log(vm, LOG_ERROR, `wasi proc_exit(${code}) called; Envoy ignores it`);
    },
    sched_yield: () => SUCCESS,
    poll_oneoff(_in: number, _out: number, _subscriptions: number, eventsPtr: number) {
      vm.memory.writeU32(eventsPtr, 0);
      return SUCCESS;
    },
  };
}
