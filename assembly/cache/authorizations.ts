// The authorization cache (gateway-features.md §6): the backend's last answer per transaction
// key, shared by all workers, one slot per key hash (a colliding key replaces the entry: the
// other key just misses). Entries carry the configuration's fingerprint, so a re-configure
// starts cold. Expired entries stay until replaced: the failure policy may serve them stale.
// Value: "<fingerprint> <expires ms> <status> <A|L|F>\n<key>".
import { SharedSlots } from "./shared_slots";
import { TransactionKey } from "./transaction";
import { parseDecimalIn, tailEquals } from "../text/decimal";

export enum Verdict { Allowed, LimitsExceeded, Failed }
const VERDICT_CODES = "ALF";

export class Authorization {
  constructor(
    public verdict: Verdict,
    /** the backend's status, for the local reply's details */
    public status: string,
    public expiresMs: u64,
  ) {}
}

export class AuthorizationCache {
  constructor(private slots: SharedSlots, private fingerprint: u32) {}

  /** the entry for `key` whatever its age, or null */
  lookup(key: TransactionKey): Authorization | null {
    const text = this.slots.read(this.slots.home(key.hash)).text;
    if (text == null) return null;
    const newline = text.indexOf("\n");
    if (newline < 0 || !tailEquals(text, newline + 1, key.text)) return null;
    // "<fingerprint> <expires ms> <status> <verdict>": fields read in place
    const s1 = text.indexOf(" ");
    const s2 = s1 < 0 ? -1 : text.indexOf(" ", s1 + 1);
    const s3 = s2 < 0 ? -1 : text.indexOf(" ", s2 + 1);
    if (s3 < 0 || s3 + 2 != newline) return null;
    const fp = parseDecimalIn(text, 0, s1);
    const expires = parseDecimalIn(text, s1 + 1, s2);
    const verdict = VERDICT_CODES.indexOf(text.charAt(s3 + 1));
    if (fp != <i64>this.fingerprint || expires < 0 || verdict < 0 || s3 - s2 - 1 > 3) return null;
    return new Authorization(<Verdict>verdict, text.substring(s2 + 1, s3), <u64>expires);
  }

  store(key: TransactionKey, a: Authorization): void {
    const head = this.fingerprint.toString() + " " + a.expiresMs.toString() + " " + a.status + " " + VERDICT_CODES.charAt(<i32>a.verdict);
    this.slots.overwrite(this.slots.home(key.hash), head + "\n" + key.text);
  }
}
