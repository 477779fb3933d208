import type { DockerEventItem } from "../../../server/domain/events/event-item";

export type { DockerEventItem };
export type Tone = "green" | "amber" | "red" | "gray" | "blue" | "violet";

export const EVENT_TYPES = ["container", "image", "volume", "network", "daemon", "plugin", "node", "service", "secret", "config"] as const;

const TYPE_TONE: Record<string, Tone> = { container: "blue", image: "violet", volume: "amber", network: "green", daemon: "red", plugin: "gray" };
export const typeTone = (type: string): Tone => TYPE_TONE[type] ?? "gray";

/** Chart colours per type (the badge hues, readable on light and dark). */
const TYPE_FILL: Record<string, string> = {
  container: "fill-sky-500",
  image: "fill-violet-500",
  volume: "fill-amber-500",
  network: "fill-emerald-500",
  daemon: "fill-red-500",
};
export const typeFill = (type: string): string => TYPE_FILL[type] ?? "fill-zinc-400";

/** Actions worth a glance: failures in red, starts in green. */
export function actionTone(action: string): "bad" | "good" | null {
  const a = action.split(":")[0]!;
  if (a === "die" || a === "kill" || a === "oom" || a === "health_status" && action.includes("unhealthy")) return "bad";
  if (a === "start" || a === "unpause" || action === "health_status: healthy") return "good";
  return null;
}

/** "2026-11-29 06:47:35.123" in local time. */
export function localTimeMs(iso: string): string {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

const KEY_ATTRIBUTES = ["exitCode", "signal", "image", "container", "driver", "type", "destination", "execDuration"] as const;

/** The few attributes that explain an event (exit code, signal, image…); ids shortened. */
export function keyAttributes(e: DockerEventItem): [string, string][] {
  const out: [string, string][] = [];
  for (const k of KEY_ATTRIBUTES) {
    const v = e.attributes[k];
    if (v === undefined || v === "" || (k === "image" && e.type === "image")) continue;
    out.push([k, k === "container" && /^[a-f0-9]{64}$/.test(v) ? v.slice(0, 12) : v]);
  }
  return out;
}

export function shortActorId(id: string): string {
  return /^(sha256:)?[a-f0-9]{64}$/.test(id) ? id.replace(/^sha256:/, "").slice(0, 12) : id.length > 40 ? `${id.slice(0, 39)}…` : id;
}

/** Whether an event passes the timeline's filters (live events are filtered in the browser). */
export function matchesFilter(e: DockerEventItem, f: { hostId?: string; type?: string; action?: string }): boolean {
  if (f.hostId && e.hostId !== f.hostId) return false;
  if (f.type && e.type !== f.type) return false;
  if (f.action && !e.action.toLowerCase().includes(f.action.toLowerCase())) return false;
  return true;
}
