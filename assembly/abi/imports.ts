// Host functions of proxy-wasm ABI 0.2.1 as Envoy registers them (docs/design.md §2).
// Declaring one here costs nothing: asc emits an import only when something calls it, and a
// test checks that the built module imports nothing Envoy lacks.

// logging, time, timers
@external("env", "proxy_log") export declare function proxy_log(level: i32, ptr: usize, size: usize): i32;
@external("env", "proxy_get_log_level") export declare function proxy_get_log_level(retLevel: usize): i32;
@external("env", "proxy_get_current_time_nanoseconds") export declare function proxy_get_current_time_nanoseconds(retTime: usize): i32;
@external("env", "proxy_set_tick_period_milliseconds") export declare function proxy_set_tick_period_milliseconds(period: u32): i32;

// buffers
@external("env", "proxy_get_buffer_bytes") export declare function proxy_get_buffer_bytes(type: i32, start: u32, maxSize: u32, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_get_buffer_status") export declare function proxy_get_buffer_status(type: i32, retSize: usize, retFlags: usize): i32;
@external("env", "proxy_set_buffer_bytes") export declare function proxy_set_buffer_bytes(type: i32, start: u32, size: u32, ptr: usize, len: usize): i32;

// header maps
@external("env", "proxy_get_header_map_pairs") export declare function proxy_get_header_map_pairs(type: i32, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_set_header_map_pairs") export declare function proxy_set_header_map_pairs(type: i32, ptr: usize, size: usize): i32;
@external("env", "proxy_get_header_map_value") export declare function proxy_get_header_map_value(type: i32, keyPtr: usize, keySize: usize, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_add_header_map_value") export declare function proxy_add_header_map_value(type: i32, keyPtr: usize, keySize: usize, valuePtr: usize, valueSize: usize): i32;
@external("env", "proxy_replace_header_map_value") export declare function proxy_replace_header_map_value(type: i32, keyPtr: usize, keySize: usize, valuePtr: usize, valueSize: usize): i32;
@external("env", "proxy_remove_header_map_value") export declare function proxy_remove_header_map_value(type: i32, keyPtr: usize, keySize: usize): i32;

// stream control and local replies
@external("env", "proxy_continue_stream") export declare function proxy_continue_stream(streamType: i32): i32;
@external("env", "proxy_close_stream") export declare function proxy_close_stream(streamType: i32): i32;
@external("env", "proxy_send_local_response") export declare function proxy_send_local_response(status: u32, detailsPtr: usize, detailsSize: usize, bodyPtr: usize, bodySize: usize, headersPtr: usize, headersSize: usize, grpcStatus: i32): i32;

// http calls
@external("env", "proxy_http_call") export declare function proxy_http_call(upstreamPtr: usize, upstreamSize: usize, headersPtr: usize, headersSize: usize, bodyPtr: usize, bodySize: usize, trailersPtr: usize, trailersSize: usize, timeoutMs: u32, retCallId: usize): i32;
@external("env", "proxy_get_status") export declare function proxy_get_status(retCode: usize, retMsgPtr: usize, retMsgSize: usize): i32;

// contexts
@external("env", "proxy_set_effective_context") export declare function proxy_set_effective_context(contextId: u32): i32;
@external("env", "proxy_done") export declare function proxy_done(): i32;

// properties
@external("env", "proxy_get_property") export declare function proxy_get_property(pathPtr: usize, pathSize: usize, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_set_property") export declare function proxy_set_property(pathPtr: usize, pathSize: usize, valuePtr: usize, valueSize: usize): i32;

// shared data and queues
@external("env", "proxy_get_shared_data") export declare function proxy_get_shared_data(keyPtr: usize, keySize: usize, retPtr: usize, retSize: usize, retCas: usize): i32;
@external("env", "proxy_set_shared_data") export declare function proxy_set_shared_data(keyPtr: usize, keySize: usize, valuePtr: usize, valueSize: usize, cas: u32): i32;
@external("env", "proxy_register_shared_queue") export declare function proxy_register_shared_queue(namePtr: usize, nameSize: usize, retId: usize): i32;
@external("env", "proxy_resolve_shared_queue") export declare function proxy_resolve_shared_queue(vmIdPtr: usize, vmIdSize: usize, namePtr: usize, nameSize: usize, retId: usize): i32;
@external("env", "proxy_enqueue_shared_queue") export declare function proxy_enqueue_shared_queue(queueId: u32, valuePtr: usize, valueSize: usize): i32;
@external("env", "proxy_dequeue_shared_queue") export declare function proxy_dequeue_shared_queue(queueId: u32, retPtr: usize, retSize: usize): i32;

// metrics
@external("env", "proxy_define_metric") export declare function proxy_define_metric(type: i32, namePtr: usize, nameSize: usize, retId: usize): i32;
@external("env", "proxy_increment_metric") export declare function proxy_increment_metric(id: u32, delta: i64): i32;
@external("env", "proxy_record_metric") export declare function proxy_record_metric(id: u32, value: u64): i32;
@external("env", "proxy_get_metric") export declare function proxy_get_metric(id: u32, retValue: usize): i32;
