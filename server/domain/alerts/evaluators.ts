import type { Container } from "../../../agents/protocol";
import type { RuleParams } from "./rule-schemas";

/** What a rule says about one subject right now. */
export type Verdict = { firing: boolean; value: number | null; message: string };

const secs = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** Offline for at least `seconds` since it was last seen (or since the engine started watching). */
export function hostOffline(p: RuleParams["host_offline"], host: { online: boolean; offlineSince: number }, now: number): Verdict {
  if (host.online) return { firing: false, value: 0, message: "online" };
  const down = secs(now - host.offlineSince);
  return { firing: now - host.offlineSince >= p.seconds * 1000, value: down, message: `offline for ${down} s` };
}

/** A die recorded by the engine, until the container runs again (started after the die) or is removed. */
export type DeathMark = { t: number; exitCode: number | null };

export function containerDied(p: RuleParams["container_died"], mark: DeathMark | undefined, container: Container | undefined): Verdict | null {
  if (!mark) return null;
  if (p.ignoreCleanExit && mark.exitCode === 0) return null;
  if (container && container.state === "running" && (container.startedAt ?? 0) > mark.t) return null;
  const code = mark.exitCode === null ? "an unknown code" : `code ${mark.exitCode}`;
  return { firing: true, value: mark.exitCode, message: `exited with ${code}${mark.exitCode === 137 ? " (killed)" : ""}` };
}

/** Unhealthy for at least `seconds` (0 = as soon as Docker reports it). */
export function containerUnhealthy(p: RuleParams["container_unhealthy"], unhealthySince: number | null, now: number): Verdict {
  if (unhealthySince === null) return { firing: false, value: null, message: "healthy" };
  const span = secs(now - unhealthySince);
  return { firing: now - unhealthySince >= p.seconds * 1000, value: span, message: `unhealthy for ${span} s` };
}

/** Restart times inside the window ending now. */
export function countInWindow(times: readonly number[], now: number, minutes: number): number {
  const from = now - minutes * 60_000;
  return times.filter((t) => t > from && t <= now).length;
}

/** More than `count` restarts within the last `minutes`. */
export function containerRestarting(p: RuleParams["container_restarting"], restarts: readonly number[], now: number): Verdict {
  const n = countInWindow(restarts, now, p.minutes);
  return { firing: n > p.count, value: n, message: `restarted ${n} time${n === 1 ? "" : "s"} in ${p.minutes} min` };
}

/**
 * A run of consecutive samples above a threshold: `since` is the time of the first of them (null when
 * the last sample was at or below it). Samples with no value leave the run as it is.
 */
export type Streak = { since: number | null; lastT: number; value: number | null };

export function nextStreak(prev: Streak | undefined, t: number, value: number | null, threshold: number): Streak {
  if (prev && t < prev.lastT) return prev; // a late sample never rewrites the run
  if (value === null) return prev ? { ...prev, lastT: t } : { since: null, lastT: t, value: null };
  if (value <= threshold) return { since: null, lastT: t, value };
  return { since: prev?.since ?? t, lastT: t, value };
}

/** Above the threshold in every sample for at least `seconds` (by the samples' own clock). */
export function aboveThreshold(p: RuleParams["cpu_above"], streak: Streak | undefined, metric: "CPU" | "memory"): Verdict {
  const value = streak?.value ?? null;
  const shown = value === null ? "no data" : `${metric} ${value.toFixed(1)}%`;
  if (!streak || streak.since === null) return { firing: false, value, message: shown };
  const span = streak.lastT - streak.since;
  return { firing: span >= p.seconds * 1000, value, message: `${shown} above ${p.threshold}% for ${secs(span)} s` };
}
