// What an authorization is about: the service, the credentials and the usage, as one text that
// keys both the authorization cache and the usage table (docs/design.md §5). Every part is
// percent-encoded as in the authrep call, so a space can only be the separator:
//   "<service_id> user_key=<k> - <metric>=<delta>&..."   or   "<service_id> app_id=<id> app_key=<key>|- ..."
// Different app keys are different authorizations (a wrong key must not ride on a right one).
// Workers of old and new builds share these keys in shared data: the format never changes.
// A cached hit builds its key on every request, so it is written into one buffer that never
// grows, and consecutive requests with the same key share one TransactionKey.
import { Usages } from "../config/types";
import { decimalLength } from "../text/decimal";

/** longer keys (hostile or absurd credentials) are never cached: such requests stay synchronous */
export const MAX_TRANSACTION_KEY: i32 = 1024;

export const USER_KEY = "user_key";
export const APP_ID = "app_id";
export const APP_KEY = "app_key";

/** never changed once built: requests with the same key share one */
export class TransactionKey {
  constructor(public readonly text: string, public readonly hash: u32) {}
}

/** the key being written; one character more than a key may have, to notice a longer one */
const buffer = new StaticArray<u16>(MAX_TRANSACTION_KEY + 1);
let written: i32 = 0;
/** the last key built */
let last: TransactionKey | null = null;

/**
 * the key of a credential `name`=`value` (and `appKey`, without its name; null: none) of the
 * service with usages `usages`, every value percent-encoded; null when too long to cache
 */
export function transactionKey(serviceId: string, name: string, value: string, appKey: string | null, usages: Usages): TransactionKey | null {
  // the fixed parts first: a hostile credential is refused before anything is copied
  const fixed = serviceId.length + 1 + name.length + 1 + value.length + 1 + (appKey != null ? APP_KEY.length + 1 + appKey.length : 1) + 1;
  if (fixed > MAX_TRANSACTION_KEY) return null;
  written = 0;
  put(serviceId); putCode(0x20); put(name); putCode(0x3d); put(value); putCode(0x20);
  if (appKey != null) { put(APP_KEY); putCode(0x3d); put(appKey); } else putCode(0x2d);
  putCode(0x20);
  const names = usages.encodedNames;
  const sums = usages.sums;
  // each usage adds at least two characters: the loop stops soon after the buffer is full
  for (let i = 0; i < names.length && written <= MAX_TRANSACTION_KEY; i++) {
    if (i > 0) putCode(0x26);
    put(unchecked(names[i]));
    putCode(0x3d);
    putInt(unchecked(sums[i]));
  }
  if (written > MAX_TRANSACTION_KEY) return null;
  const previous = last;
  if (previous && sameText(previous.text)) return previous;
  const text = String.UTF16.decodeUnsafe(changetype<usize>(buffer), <usize>written << 1);
  const key = new TransactionKey(text, hashKey(text));
  last = key;
  return key;
}

/** copies `s` if it fits; either way `written` counts it (past the buffer: too long) */
function put(s: string): void {
  const n = s.length;
  if (written + n <= buffer.length) memory.copy(changetype<usize>(buffer) + (<usize>written << 1), changetype<usize>(s), <usize>n << 1);
  written += n;
}

function putCode(c: i32): void {
  if (written < buffer.length) unchecked(buffer[written] = <u16>c);
  written++;
}

/** the decimal form of `n`, sign included, as `i64#toString` writes it */
function putInt(n: i64): void {
  const length = decimalLength(n);
  if (written + length <= buffer.length) {
    if (n < 0) unchecked(buffer[written] = 0x2d);
    // in u64: the magnitude of I64.MIN_VALUE does not fit an i64
    let v: u64 = n < 0 ? <u64>0 - <u64>n : <u64>n;
    const first = n < 0 ? written + 1 : written;
    for (let i = written + length - 1; i >= first; i--) {
      unchecked(buffer[i] = <u16>(0x30 + <i32>(v % 10)));
      v /= 10;
    }
  }
  written += length;
}

function sameText(text: string): bool {
  return text.length == written && memory.compare(changetype<usize>(text), changetype<usize>(buffer), <usize>written << 1) == 0;
}

/** the parts of a key, for building reports */
export class TransactionParts {
  constructor(public serviceId: string, public credentialName: string, public credentialValue: string, public usage: string) {}
}

export function splitKey(text: string): TransactionParts | null {
  const parts = text.split(" ");
  if (parts.length != 4) return null;
  const credential = parts[1];
  const equals = credential.indexOf("=");
  if (equals <= 0) return null;
  return new TransactionParts(parts[0], credential.substring(0, equals), credential.substring(equals + 1), parts[3]);
}

/** FNV-1a over the UTF-16 code units */
export function hashKey(text: string): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= <u32>text.charCodeAt(i);
    h *= 0x01000193;
  }
  return h;
}
