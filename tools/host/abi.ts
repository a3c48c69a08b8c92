// proxy-wasm ABI 0.2.1 constants the host uses and the exact function types Envoy links against
// (docs/design.md §2). Types are written the way Envoy prints them in its load
// errors ("i32 i32 -> i32", "void" for none), so validation messages match Envoy's text.

export enum Status {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  BrokenConnection = 11,
  Unimplemented = 12,
}

export enum BufferType {
  HttpCallResponseBody = 4,
  VmConfiguration = 6,
  PluginConfiguration = 7,
}

export enum MapType {
  RequestHeaders = 0,
  ResponseHeaders = 2,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "critical"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** "iiI>i" → "i32 i32 i64 -> i32": i = i32, I = i64, empty side = void */
function sig(spec: string): string {
  const [params, results = ""] = spec.split(">");
  const names = (s: string) => (s ? [...s].map((c) => (c === "I" ? "i64" : "i32")).join(" ") : "void");
  return `${names(params)} -> ${names(results)}`;
}

const PROXY_IMPORTS: Record<string, string> = {
  proxy_log: "iii>i",
  proxy_get_log_level: "i>i",
  proxy_get_current_time_nanoseconds: "i>i",
  proxy_set_tick_period_milliseconds: "i>i",
  proxy_get_buffer_bytes: "iiiii>i",
  proxy_get_buffer_status: "iii>i",
  proxy_set_buffer_bytes: "iiiii>i",
  proxy_get_header_map_pairs: "iii>i",
  proxy_set_header_map_pairs: "iii>i",
  proxy_get_header_map_size: "ii>i",
  proxy_get_header_map_value: "iiiii>i",
  proxy_add_header_map_value: "iiiii>i",
  proxy_replace_header_map_value: "iiiii>i",
  proxy_remove_header_map_value: "iii>i",
  proxy_continue_stream: "i>i",
  proxy_close_stream: "i>i",
  proxy_send_local_response: "iiiiiiii>i",
  proxy_http_call: "iiiiiiiiii>i",
  proxy_get_status: "iii>i",
  proxy_set_effective_context: "i>i",
  proxy_done: ">i",
  proxy_get_property: "iiii>i",
  proxy_set_property: "iiii>i",
  proxy_get_shared_data: "iiiii>i",
  proxy_set_shared_data: "iiiii>i",
  proxy_register_shared_queue: "iii>i",
  proxy_resolve_shared_queue: "iiiii>i",
  proxy_enqueue_shared_queue: "iii>i",
  proxy_dequeue_shared_queue: "iii>i",
  proxy_define_metric: "iiii>i",
  proxy_increment_metric: "iI>i",
  proxy_record_metric: "iI>i",
  proxy_get_metric: "ii>i",
  proxy_grpc_call: "iiiiiiiiiiii>i",
  proxy_grpc_stream: "iiiiiiiii>i",
  proxy_grpc_send: "iiii>i",
  proxy_grpc_cancel: "i>i",
  proxy_grpc_close: "i>i",
  proxy_call_foreign_function: "iiiiii>i",
  pthread_equal: "ii>i",
  emscripten_notify_memory_growth: "i>",
};

/** Registered under both `wasi_snapshot_preview1` and `wasi_unstable` (§2.3). */
const WASI_IMPORTS: Record<string, string> = {
  args_get: "ii>i",
  args_sizes_get: "ii>i",
  environ_get: "ii>i",
  environ_sizes_get: "ii>i",
  clock_res_get: "ii>i",
  clock_time_get: "iIi>i",
  fd_close: "i>i",
  fd_fdstat_get: "ii>i",
  fd_fdstat_set_flags: "ii>i",
  fd_filestat_get: "ii>i",
  fd_pread: "iiiIi>i",
  fd_prestat_get: "ii>i",
  fd_prestat_dir_name: "iii>i",
  fd_read: "iiii>i",
  fd_readdir: "iiiIi>i",
  fd_renumber: "ii>i",
  fd_seek: "iIii>i",
  fd_write: "iiii>i",
  path_create_directory: "iii>i",
  path_filestat_get: "iiiii>i",
  path_open: "iiiiiIIii>i",
  path_remove_directory: "iii>i",
  path_unlink_file: "iii>i",
  poll_oneoff: "iiii>i",
  proc_exit: "i>",
  random_get: "ii>i",
  sched_yield: ">i",
  sock_accept: "iii>i",
  sock_recv: "iiiiii>i",
  sock_send: "iiiii>i",
  sock_shutdown: "ii>i",
};

const WASI_MODULES = ["wasi_snapshot_preview1", "wasi_unstable"] as const;

/** "module.name" → Envoy-printed type of every import an ABI 0.2.1 module may link against. */
export const HOST_IMPORT_TYPES: ReadonlyMap<string, string> = new Map([
  ...Object.entries(PROXY_IMPORTS).map(([name, s]) => [`env.${name}`, sig(s)] as const),
  ...WASI_MODULES.flatMap((module) =>
    Object.entries(WASI_IMPORTS).map(([name, s]) => [`${module}.${name}`, sig(s)] as const),
  ),
]);

/** Module exports cpp-host looks up; a present one with another type fails the load. */
export const CALLBACK_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    _initialize: "",
    _start: "",
    main: "ii>i",
    malloc: "i>i",
    proxy_on_memory_allocate: "i>i",
    proxy_on_context_create: "ii",
    proxy_on_vm_start: "ii>i",
    proxy_on_configure: "ii>i",
    proxy_validate_configuration: "ii>i",
    proxy_on_tick: "i",
    proxy_on_queue_ready: "ii",
    proxy_on_new_connection: "i>i",
    proxy_on_downstream_data: "iii>i",
    proxy_on_upstream_data: "iii>i",
    proxy_on_downstream_connection_close: "ii",
    proxy_on_upstream_connection_close: "ii",
    proxy_on_request_headers: "iii>i",
    proxy_on_request_body: "iii>i",
    proxy_on_request_trailers: "ii>i",
    proxy_on_request_metadata: "ii>i",
    proxy_on_response_headers: "iii>i",
    proxy_on_response_body: "iii>i",
    proxy_on_response_trailers: "ii>i",
    proxy_on_response_metadata: "ii>i",
    proxy_on_http_call_response: "iiiii",
    proxy_on_grpc_receive_initial_metadata: "iii",
    proxy_on_grpc_receive_trailing_metadata: "iii",
    proxy_on_grpc_receive: "iii",
    proxy_on_grpc_close: "iii",
    proxy_on_foreign_function: "iii",
    proxy_on_done: "i>i",
    proxy_on_log: "i",
    proxy_on_delete: "i",
  }).map(([name, s]) => [name, sig(s)]),
);

/** §2.4: imports callable while `_initialize`/`_start`/`main` runs; anything else traps. */
export const ALLOWED_DURING_INIT: ReadonlySet<string> = new Set([
  "env.proxy_log",
  "env.emscripten_notify_memory_growth",
  ...WASI_MODULES.flatMap((module) => Object.keys(WASI_IMPORTS).map((name) => `${module}.${name}`)),
]);

/** §2.4: imports callable while the module's allocator runs. */
export const ALLOWED_DURING_ALLOCATION: ReadonlySet<string> = new Set([
  "env.proxy_log",
  ...WASI_MODULES.flatMap((module) =>
    ["fd_write", "clock_time_get", "poll_oneoff"].map((name) => `${module}.${name}`),
  ),
]);
