import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../../server/trpc/router";

type Outputs = inferRouterOutputs<AppRouter>;
export type AlertItem = Outputs["alerts"]["list"]["items"][number];
export type RuleItem = Outputs["alerts"]["rules"]["list"][number];
export type WebhookItem = Outputs["alerts"]["webhooks"]["list"][number];
export type RuleKind = RuleItem["kind"];

export const KIND_LABELS: Record<RuleKind, string> = {
  host_offline: "Host offline",
  container_died: "Container died",
  container_unhealthy: "Container unhealthy",
  container_restarting: "Container restarting",
  cpu_above: "CPU above",
  memory_above: "Memory above",
};

export const KINDS = Object.keys(KIND_LABELS) as RuleKind[];

/** One line saying what the rule watches for, e.g. "CPU above 90% for 30 s (each container)". */
export function conditionText(kind: string, params: Record<string, unknown>, target: string): string {
  const n = (k: string) => Number(params[k] ?? 0);
  const forSeconds = n("seconds") > 0 ? ` for ${n("seconds")} s` : "";
  switch (kind) {
    case "host_offline":
      return `Offline for ${n("seconds")} s`;
    case "container_died":
      return params.ignoreCleanExit === false ? "Exits with any code" : "Exits with a non-zero code";
    case "container_unhealthy":
      return n("seconds") > 0 ? `Unhealthy for ${n("seconds")} s` : "Health check fails";
    case "container_restarting":
      return `More than ${n("count")} restarts in ${n("minutes")} min`;
    case "cpu_above":
    case "memory_above":
      return `${kind === "cpu_above" ? "CPU" : "Memory"} above ${n("threshold")}%${forSeconds} (${target === "container" ? "each container" : "host"})`;
    default:
      return kind;
  }
}

/** "4 m 10 s" between two ISO times (or until now). */
export function duration(fromIso: string, toIso: string | null, now: number): string {
  const ms = Math.max(0, (toIso ? Date.parse(toIso) : now) - Date.parse(fromIso));
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${s % 60} s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} m` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
