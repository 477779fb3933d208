/**
 * Log timestamps kept as two numbers instead of a 30-character string per line (a million lines
 * would cost ~60 MB of strings): milliseconds since the epoch and the nanoseconds within that
 * millisecond. The pair orders exactly like the engine's RFC3339Nano text.
 */

export type TsParts = { ms: number; ns: number };

/** "2026-11-29T09:30:01.123456789Z" (the protocol's ZLogTs form) → parts; null if it is not that form. */
export function parseLogTs(ts: string): TsParts | null {
  if (ts.length !== 30 || ts.charCodeAt(29) !== 90 /* Z */) return null;
  const ms = Date.parse(`${ts.slice(0, 23)}Z`);
  const ns = Number(ts.slice(23, 29));
  if (!Number.isFinite(ms) || !Number.isInteger(ns)) return null;
  return { ms, ns };
}

/** Parts → the RFC3339Nano UTC text the engine sent. */
export function formatLogTs(ms: number, ns: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(ns).padStart(6, "0")}Z`;
}

/** Negative when (aMs, aNs) is earlier. */
export function compareTs(aMs: number, aNs: number, bMs: number, bNs: number): number {
  return aMs !== bMs ? aMs - bMs : aNs - bNs;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** Local wall-clock time with milliseconds, "11-29 10:30:01.123" (the year is in the tooltip). */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
}

/** Tooltip text: the exact engine timestamp and the local date it means. */
export function timeTooltip(ms: number, ns: number): string {
  const d = new Date(ms);
  return `${formatLogTs(ms, ns)}\n${d.getFullYear()}-${localTime(ms)} local`;
}
