// Raw proxy-wasm 0.2.1 imports used by the host fixtures (unused ones are not emitted).
@external("env", "proxy_log")
export declare function proxy_log(level: i32, ptr: usize, size: usize): u32;
@external("env", "proxy_get_log_level")
export declare function proxy_get_log_level(retLevel: usize): u32;
@external("env", "proxy_get_buffer_bytes")
export declare function proxy_get_buffer_bytes(type: i32, start: u32, max: u32, retPtr: usize, retSize: usize): u32;
@external("env", "proxy_get_header_map_value")
export declare function proxy_get_header_map_value(map: i32, key: usize, keySize: usize, retPtr: usize, retSize: usize): u32;
@external("env", "proxy_get_header_map_pairs")
export declare function proxy_get_header_map_pairs(map: i32, retPtr: usize, retSize: usize): u32;
@external("env", "proxy_get_header_map_size")
export declare function proxy_get_header_map_size(map: i32, retSize: usize): u32;
@external("env", "proxy_add_header_map_value")
export declare function proxy_add_header_map_value(map: i32, key: usize, keySize: usize, value: usize, valueSize: usize): u32;
@external("env", "proxy_replace_header_map_value")
export declare function proxy_replace_header_map_value(map: i32, key: usize, keySize: usize, value: usize, valueSize: usize): u32;
@external("env", "proxy_remove_header_map_value")
export declare function proxy_remove_header_map_value(map: i32, key: usize, keySize: usize): u32;
@external("env", "proxy_continue_stream")
export declare function proxy_continue_stream(streamType: i32): u32;
@external("env", "proxy_close_stream")
export declare function proxy_close_stream(streamType: i32): u32;
@external("env", "proxy_send_local_response")
export declare function proxy_send_local_response(status: u32, details: usize, detailsSize: usize, body: usize, bodySize: usize, headers: usize, headersSize: usize, grpcStatus: i32): u32;
@external("env", "proxy_http_call")
export declare function proxy_http_call(cluster: usize, clusterSize: usize, headers: usize, headersSize: usize, body: usize, bodySize: usize, trailers: usize, trailersSize: usize, timeoutMs: u32, retCallId: usize): u32;
@external("env", "proxy_get_status")
export declare function proxy_get_status(retCode: usize, retPtr: usize, retSize: usize): u32;
@external("env", "proxy_set_effective_context")
export declare function proxy_set_effective_context(contextId: u32): u32;
@external("env", "proxy_get_property")
export declare function proxy_get_property(path: usize, pathSize: usize, retPtr: usize, retSize: usize): u32;
@external("env", "proxy_set_property")
export declare function proxy_set_property(path: usize, pathSize: usize, value: usize, valueSize: usize): u32;
@external("env", "proxy_get_shared_data")
export declare function proxy_get_shared_data(key: usize, keySize: usize, retPtr: usize, retSize: usize, retCas: usize): u32;
@external("env", "proxy_set_shared_data")
export declare function proxy_set_shared_data(key: usize, keySize: usize, value: usize, valueSize: usize, cas: u32): u32;
@external("env", "proxy_register_shared_queue")
export declare function proxy_register_shared_queue(name: usize, nameSize: usize, retId: usize): u32;
@external("env", "proxy_resolve_shared_queue")
export declare function proxy_resolve_shared_queue(vmId: usize, vmIdSize: usize, name: usize, nameSize: usize, retId: usize): u32;
@external("env", "proxy_enqueue_shared_queue")
export declare function proxy_enqueue_shared_queue(id: u32, value: usize, valueSize: usize): u32;
@external("env", "proxy_dequeue_shared_queue")
export declare function proxy_dequeue_shared_queue(id: u32, retPtr: usize, retSize: usize): u32;
@external("env", "proxy_define_metric")
export declare function proxy_define_metric(type: i32, name: usize, nameSize: usize, retId: usize): u32;
@external("env", "proxy_increment_metric")
export declare function proxy_increment_metric(id: u32, delta: i64): u32;
@external("env", "proxy_record_metric")
export declare function proxy_record_metric(id: u32, value: u64): u32;
@external("env", "proxy_get_metric")
export declare function proxy_get_metric(id: u32, retValue: usize): u32;
@external("env", "proxy_set_tick_period_milliseconds")
export declare function proxy_set_tick_period_milliseconds(periodMs: u32): u32;
@external("env", "proxy_get_current_time_nanoseconds")
export declare function proxy_get_current_time_nanoseconds(retTime: usize): u32;
@external("wasi_snapshot_preview1", "fd_write")
export declare function fd_write(fd: i32, iovs: usize, iovsLen: usize, retWritten: usize): u16;
@external("wasi_snapshot_preview1", "clock_time_get")
export declare function clock_time_get(clock: i32, precision: u64, retTime: usize): u16;
@external("wasi_snapshot_preview1", "environ_sizes_get")
export declare function environ_sizes_get(retCount: usize, retSize: usize): u16;
@external("wasi_snapshot_preview1", "environ_get")
export declare function environ_get(pointers: usize, buffer: usize): u16;
@external("wasi_snapshot_preview1", "random_get")
export declare function random_get(buffer: usize, size: usize): u16;
@external("wasi_snapshot_preview1", "proc_exit")
export declare function proc_exit(code: u32): void;
