// Constants of the 3scale Service Management API as the module speaks it
// (docs/backend-protocol.md §1): what every call to the backend says about itself and asks for.

/** threescale-wasm-auth's client library; the backend and its logs know it */
export const USER_AGENT = "threescalers/0.8.0";
/** no XML body (the module reads statuses and headers only), and the denial reason as a header */
export const OPTIONS_HEADER_VALUE = "no_body=1&rejection_reason_header=1";
/** with the service's `rate_limit_headers` or the cache (docs/backend-protocol.md §2) */
export const LIMIT_HEADERS_OPTION = "&limit_headers=1";
/** the authrep call's path after the backend URL's base path (docs/backend-protocol.md §2) */
export const AUTHREP_PATH = "transactions/authrep.xml";
/** the report call's path after the backend URL's base path (docs/backend-protocol.md §3) */
export const REPORT_PATH = "transactions.xml";
