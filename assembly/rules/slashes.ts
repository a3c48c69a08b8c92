// Runs of `/` count as one, in patterns (§4.3 step 1) and in request paths (§4.3 matching).

/** `s` with every run of `/` collapsed into one; `s` itself when it has none. */
export function collapseSlashes(s: string): string {
  if (!s.includes("//")) return s;
  const units = new Array<i32>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c != 0x2f || i == 0 || s.charCodeAt(i - 1) != 0x2f) units.push(c);
  }
  return String.fromCharCodes(units);
}

// Every rule of a request is matched against the same path: collapse it once.
let lastPath = "";
let lastCollapsed = "";

/** collapseSlashes, remembering the last request path. */
export function collapseRequestPath(path: string): string {
  if (path != lastPath) {
    lastPath = path;
    lastCollapsed = collapseSlashes(path);
  }
  return lastCollapsed;
}
