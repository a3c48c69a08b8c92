// Numeric values of the ABI's enums (docs/design.md §2).

export enum Status { Ok = 0, NotFound = 1, BadArgument = 2, SerializationFailure = 3, ParseFailure = 4, InvalidMemoryAccess = 6, Empty = 7, CasMismatch = 8, InternalFailure = 10, BrokenConnection = 11, Unimplemented = 12 }
export enum BufferType { RequestBody = 0, ResponseBody = 1, HttpCallResponseBody = 4, VmConfiguration = 6, PluginConfiguration = 7 }
export enum MapType { RequestHeaders = 0, RequestTrailers = 1, ResponseHeaders = 2, ResponseTrailers = 3, HttpCallResponseHeaders = 6, HttpCallResponseTrailers = 7 }
export enum StreamType { HttpRequest = 0, HttpResponse = 1 }
export enum Action { Continue = 0, Pause = 1 }
export enum MetricType { Counter = 0, Gauge = 1, Histogram = 2 }
