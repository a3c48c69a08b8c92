// The authorization cache (docs/design.md §5): the backend's last answer per transaction
// key, shared by all workers, one slot per key hash (a colliding allowed answer replaces the
// entry: the other key just misses; a colliding denial does not, see `store`). Entries carry the
// configuration's fingerprint (backend and tokens), so a re-configure changing those starts cold. Expired entries stay until replaced: the failure policy may serve them stale.
// Value: "<fingerprint> <expires ms> <status> <A|L|F>\n<key>".
import { SharedSlots } from "./shared_slots";
import { TransactionKey } from "./transaction";
import { parseDecimalIn, tailEquals } from "../text/decimal";
import { StringBuilder } from "../text/builder";

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

  get generation(): u32 {
    return this.fingerprint;
  }

  /** the entry for `key` whatever its age, or null */
  lookup(key: TransactionKey): Authorization | null {
    const text = this.slots.read(this.slots.home(key.hash)).text;
    if (text == null) return null;
    const newline = text.indexOf("\n");
    if (newline < 0 || !tailEquals(text, newline + 1, key.text)) return null;
    return this.decode(text, newline);
  }

  /**
   * An allowed answer takes the key's slot whatever it holds (a colliding key then misses); a
   * denial never evicts another key's authorization of this configuration, which the failure
   * policy may still need (random invalid keys must not take a valid key's stale authorization
   * away during an outage): it is then not cached, and its key asks the backend again.
   */
  store(key: TransactionKey, a: Authorization): void {
    const index = this.slots.home(key.hash);
    const text = new StringBuilder(key.text.length + 48)
      .addUint(this.fingerprint).addCode(0x20).addUint(a.expiresMs).addCode(0x20).add(a.status).addCode(0x20)
      .addCode(VERDICT_CODES.charCodeAt(<i32>a.verdict)).addCode(0x0a).add(key.text).toString();
    if (a.verdict == Verdict.Allowed) {
      this.slots.overwrite(index, text);
      return;
    }
    const seen = this.slots.read(index);
    const held = seen.text;
    if (held != null) {
      const newline = held.indexOf("\n");
      const other = newline >= 0 && !tailEquals(held, newline + 1, key.text) ? this.decode(held, newline) : null;
      if (other && other.verdict == Verdict.Allowed) return;
    }
    this.slots.write(index, text, seen); // lost to a concurrent write: not cached, no harm
  }

  /** "<fingerprint> <expires ms> <status> <verdict>" before `newline`, read in place; null unless this configuration's */
  private decode(text: string, newline: i32): Authorization | null {
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
}
