// Path state of the URL Standard: splits on `/` (and `\` for special URLs), percent-encodes
// each segment with the path set and resolves `.`/`..` segments (also written `%2e`).
// Segments are written straight into one buffer; a stack of segment offsets lets `..` drop
// the previous segment without allocating a string per segment.
import { ByteBuffer } from "./buffer";
import { EncodeSet, encodeCodePointAt } from "./percent";
import { isAlpha } from "./scheme";

/**
 * Parses the path starting at `start` (just after its leading slash, if any) into `out` as
 * "/seg/seg..."; returns the offset of the `?`, `#` or end of input that stops it.
 */
export function parsePath(s: string, start: i32, special: bool, isFile: bool, out: ByteBuffer): i32 {
  const segments = new Array<i32>(); // offsets in `out` of the '/' before each kept segment
  let segment = out.length;
  out.push(0x2F);
  let i = start;
  while (true) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    const slash = c == 0x2F || (special && c == 0x5C);
    if (!slash && c != -1 && c != 0x3F && c != 0x23) {
      i = encodeCodePointAt(out, s, i, EncodeSet.Path);
      continue;
    }
    const dots = dotCount(out, segment + 1);
    if (dots > 0) {
      out.truncate(segment);
      if (dots == 2) shorten(out, segments, isFile);
      if (!slash) { // a trailing `.` or `..` leaves an empty last segment
        segments.push(out.length);
        out.push(0x2F);
      }
    } else {
      // file:C|/x → file:///C:/x
      if (isFile && segments.length == 0 && isDriveLetterSegment(out, segment + 1, true)) out.setByte(segment + 2, 0x3A);
      segments.push(segment);
    }
    if (!slash) return i;
    segment = out.length;
    out.push(0x2F);
    i++;
  }
}

/** Removes the last segment, except a file URL's lone drive letter (`C:`). */
function shorten(out: ByteBuffer, segments: Array<i32>, isFile: bool): void {
  const count = segments.length;
  if (count == 0) return;
  const last = unchecked(segments[count - 1]);
  if (isFile && count == 1 && isDriveLetterSegment(out, last + 1, false)) return;
  out.truncate(last);
  segments.length = count - 1;
}

/** 1 for `.`, 2 for `..` (each dot possibly written `%2e`/`%2E`), otherwise 0. */
function dotCount(out: ByteBuffer, from: i32): i32 {
  let dots = 0;
  let i = from;
  while (i < out.length) {
    if (out.byteAt(i) == 0x2E) {
      i++;
    } else if (out.byteAt(i) == 0x25 && out.byteAt(i + 1) == 0x32 && (out.byteAt(i + 2) | 0x20) == 0x65) {
      i += 3;
    } else {
      return 0;
    }
    if (++dots > 2) return 0;
  }
  return dots;
}

/** Is out[from..] exactly a Windows drive letter? */
function isDriveLetterSegment(out: ByteBuffer, from: i32, allowPipe: bool): bool {
  return out.length == from + 2 && isDriveLetter(out.byteAt(from), out.byteAt(from + 1), allowPipe);
}

/** A Windows drive letter: ASCII letter then `:` (or `|` when not yet normalised). */
export function isDriveLetter(first: i32, second: i32, allowPipe: bool): bool {
  return isAlpha(first) && (second == 0x3A || (allowPipe && second == 0x7C));
}
