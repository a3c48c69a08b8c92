// The per-service fetch record workers share: one shared-data value, written by CAS, so the
// schedule, the lease and the last good document always change together. Text format:
// "<fingerprint> <version> <deadline ms> <lease until ms> <lease owner>\n<document>".
// The document is the reduced form of document.ts (empty: nothing fetched yet).
import { parseDecimal } from "../text/decimal";

export class FetchRecord {
  constructor(
    /** of the configuration that created the record; another one means a re-configure */
    public fingerprint: u32,
    /** incremented whenever `document` changes; workers apply newer versions */
    public version: u32,
    /** epoch ms of the next fetch */
    public deadline: u64,
    /** epoch ms until which `owner`'s fetch is in flight (0: none) */
    public leaseUntil: u64,
    public owner: u32,
    public document: string,
  ) {}

  encode(): ArrayBuffer {
    return String.UTF8.encode(this.fingerprint.toString() + " " + this.version.toString() + " " + this.deadline.toString() + " "
      + this.leaseUntil.toString() + " " + this.owner.toString() + "\n" + this.document);
  }

  clone(): FetchRecord {
    return new FetchRecord(this.fingerprint, this.version, this.deadline, this.leaseUntil, this.owner, this.document);
  }
}

/** null for anything that is not a record (then it is overwritten) */
export function decodeRecord(bytes: ArrayBuffer): FetchRecord | null {
  const text = String.UTF8.decode(bytes);
  const newline = text.indexOf("\n");
  if (newline < 0) return null;
  const fields = text.substring(0, newline).split(" ");
  if (fields.length != 5) return null;
  const numbers = new Array<u64>(5);
  for (let i = 0; i < 5; i++) {
    const n = parseDecimal(fields[i]);
    if (n < 0) return null;
    numbers[i] = <u64>n;
  }
  if (numbers[0] > U32.MAX_VALUE || numbers[1] > U32.MAX_VALUE || numbers[4] > U32.MAX_VALUE) return null;
  return new FetchRecord(<u32>numbers[0], <u32>numbers[1], numbers[2], numbers[3], <u32>numbers[4], text.substring(newline + 1));
}

/** FNV-1a of the configuration bytes */
export function fingerprint(bytes: ArrayBuffer): u32 {
  let h: u32 = 0x811c9dc5;
  const p = changetype<usize>(bytes);
  for (let i = 0; i < bytes.byteLength; i++) {
    h ^= <u32>load<u8>(p + <usize>i);
    h *= 0x01000193;
  }
  return h;
}
