import { abortHandler } from "./runtime/abort";
export function proxy_abi_version_0_2_1(): void {}
export function x(a: i32): string { if (a > 2) abortHandler("x", null, 0, 0); const arr = new Array<i32>(a); return arr[a+1].toString(); }
