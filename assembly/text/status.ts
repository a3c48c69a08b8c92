// HTTP status texts as the host hands them over (`:status` of a call answer): only three digits count.

/** statuses end up in access-log details; keep them to digits so logs stay parseable */
export function sanitize(status: string): string {
  for (let i = 0; i < status.length; i++) {
    const c = status.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return "invalid_status";
  }
  return status.length > 0 && status.length <= 3 ? status : "invalid_status";
}

/** a 2xx or 4xx status: the backend decided (anything else leaves the decision to the failure policy) */
export function backendDecided(status: string | null): bool {
  if (status == null || status.length != 3 || sanitize(status) != status) return false;
  const first = status.charCodeAt(0);
  return first == 0x32 || first == 0x34;
}
