/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago"; future times read "in …". */
export function relativeTime(from: number, now: number): string {
  const diff = Math.round((now - from) / 1000);
  const abs = Math.abs(diff);
  if (abs < 5) return "just now";
  let text: string;
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86_400) text = `${Math.floor(abs / 3600)} h`;
  else if (abs < 86_400 * 60) text = `${Math.floor(abs / 86_400)} d`;
  else if (abs < 86_400 * 730) text = `${Math.floor(abs / (86_400 * 30))} mo`;
  else text = `${Math.floor(abs / (86_400 * 365))} y`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

const fullFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "short",
});

export function fullTimestamp(ms: number): string {
  return fullFormat.format(new Date(ms));
}

export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

type Port = { privatePort: number; publicPort: number | null; ip: string | null; protocol: string };

/** "127.0.0.1:8080→80/tcp", "8080→80/tcp" (all interfaces), "80/tcp" (exposed only). Deduplicated. */
export function formatPorts(ports: Port[]): string[] {
  const out = new Set<string>();
  const sorted = [...ports].sort((a, b) => a.privatePort - b.privatePort || (a.publicPort ?? 0) - (b.publicPort ?? 0));
  for (const p of sorted) {
    if (p.publicPort == null) {
      out.add(`${p.privatePort}/${p.protocol}`);
      continue;
    }
    const ip = !p.ip || p.ip === "0.0.0.0" || p.ip === "::" ? "" : p.ip.includes(":") ? `[${p.ip}]:` : `${p.ip}:`;
    out.add(`${ip}${p.publicPort}→${p.privatePort}/${p.protocol}`);
  }
  return [...out];
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** Docker's status text is frozen at the last event; for live containers recompute it from startedAt. */
export function liveStatus(
  c: { state: string; status: string; startedAt: number | null; finishedAt?: number | null; exitCode?: number | null },
  now: number,
): string {
  if (c.state === "exited" && c.finishedAt != null && c.exitCode != null) {
    const rel = relativeTime(c.finishedAt, now);
    return `Exited (${c.exitCode}) ${rel === "just now" ? "a few seconds ago" : rel}`;
  }
  if (c.startedAt === null || (c.state !== "running" && c.state !== "paused")) return c.status;
  const rel = relativeTime(c.startedAt, now);
  const up = `Up ${rel === "just now" ? "a few seconds" : rel.replace(/ ago$/, "")}`;
  return c.state === "paused" ? `${up} (Paused)` : up;
}

export { plainText } from "../../server/text/plain-text";
