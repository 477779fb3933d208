/** The audit filters as typed in the form (datetime-local values are local time, minute precision). */
export type AuditFilterForm = { actor: string; hostId: string; action: string; from: string; to: string };

export const EMPTY_FILTERS: AuditFilterForm = { actor: "", hostId: "", action: "", from: "", to: "" };

/** The filter the server takes (audit.list and /api/audit/export): ISO times, empty fields left out. */
export function toQuery(f: AuditFilterForm): { actor?: string; hostId?: string; action?: string; from?: string; to?: string } {
  const iso = (local: string, endOfMinute: boolean) => {
    const ms = Date.parse(local);
    return Number.isFinite(ms) ? new Date(ms + (endOfMinute ? 59_999 : 0)).toISOString() : undefined;
  };
  const q = {
    actor: f.actor.trim() || undefined,
    hostId: f.hostId || undefined,
    action: f.action.trim() || undefined,
    from: f.from ? iso(f.from, false) : undefined,
    // "to 14:05" includes everything that happened during 14:05.
    to: f.to ? iso(f.to, true) : undefined,
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
}

export function exportHref(format: "csv" | "jsonl", f: AuditFilterForm): string {
  const params = new URLSearchParams({ format, ...toQuery(f) });
  return `/api/audit/export?${params.toString()}`;
}
