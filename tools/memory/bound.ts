// The memory bound docs/design.md §9 states, as numbers the hostile-size suite and the benchmark's
// memory section check the `authrep_wasm.memory.pages` gauge against: after any callback a VM
// holds at most what it held once configured plus a constant times its largest single input.

export const PAGE_BYTES = 65_536;

/**
 * Bytes of Wasm memory one VM may hold per byte of the largest request, answer or report body:
 * the bound 8/3 × (live + allocated), with at most about 48 bytes allocated per input byte by the
 * worst case (thousands of tiny query parameters, each a string and an array entry).
 */
export const BYTES_PER_INPUT_BYTE = 128;

/**
 * The same for a portal document, which is compiled like a configuration: 8/3 × (live +
 * allocated) with about 20 live and 100 allocated bytes per document byte.
 */
export const BYTES_PER_DOCUMENT_BYTE = 320;

/** pages for what no input explains: allocator bookkeeping, the collector's threshold, small tables */
export const SLACK_PAGES = 16;

/** the most pages one VM may hold after any callback, given what it held once configured */
export function pagesBound(pagesAfterConfigure: number, largestInputBytes: number, bytesPerByte = BYTES_PER_INPUT_BYTE): number {
  return pagesAfterConfigure + Math.ceil((bytesPerByte * largestInputBytes) / PAGE_BYTES) + SLACK_PAGES;
}
