import type { Container } from "../../../agents/protocol";
import type { DockerEventItem } from "../events/event-item";
import type { MetricSample } from "../metrics/metric-feed";
import { nextStreak, type DeathMark, type Streak } from "./evaluators";

const LONGEST_WINDOW_MS = 24 * 60 * 60_000; // container_restarting allows up to 1440 minutes

/**
 * What the engine has seen that the registry does not keep: deaths and restarts (from engine
 * events), since when a container has been unhealthy, and runs of metric samples above each rule's
 * threshold. Keys are "hostId|containerId".
 */
export class Observations {
  readonly deaths = new Map<string, DeathMark>();
  readonly restarts = new Map<string, number[]>();
  readonly unhealthySince = new Map<string, number>();
  /** Per rule: subject key ("hostId|containerId" or "hostId|") -> run of samples above its threshold. */
  readonly streaks = new Map<string, Map<string, Streak & { receivedAt: number }>>();
  /** Hosts the registry has not seen since the engine started, offline since this time (seeded from firing alerts). */
  readonly offlineSeeds = new Map<string, number>();
  private readonly diedSinceStart = new Map<string, number>();

  /** Container die / start events: a die marks the container, a start after a die counts as a restart. */
  noteEvents(items: readonly DockerEventItem[]): void {
    for (const e of items) {
      if (e.type !== "container") continue;
      const key = subjectOf(e.hostId, e.actorId);
      const t = Date.parse(e.time);
      if (e.action === "die") {
        const code = Number(e.attributes.exitCode);
        this.deaths.set(key, { t, exitCode: Number.isInteger(code) ? code : null });
        this.diedSinceStart.set(key, t);
      } else if (e.action === "start" && this.diedSinceStart.has(key)) {
        this.diedSinceStart.delete(key);
        const times = this.restarts.get(key) ?? [];
        times.push(t);
        this.restarts.set(key, times);
      } else if (e.action === "stop") {
        this.deaths.delete(key); // stopped on request (docker stop): not a death worth an alert
      } else if (e.action === "destroy") {
        this.forgetContainer(key);
      }
    }
  }

  /** A host's current containers: tracks unhealthy runs and forgets containers that are gone. */
  noteContainers(hostId: string, containers: ReadonlyMap<string, Container>, now: number): void {
    for (const c of containers.values()) {
      const key = subjectOf(hostId, c.id);
      if (c.health === "unhealthy") {
        if (!this.unhealthySince.has(key)) this.unhealthySince.set(key, now);
      } else this.unhealthySince.delete(key);
    }
    for (const map of [this.deaths, this.restarts, this.unhealthySince, this.diedSinceStart] as Map<string, unknown>[]) {
      for (const key of map.keys()) if (key.startsWith(`${hostId}|`) && !containers.has(key.slice(hostId.length + 1))) map.delete(key);
    }
  }

  /** Feeds one rule's samples into its runs; `metric` picks the sample field. */
  noteSample(ruleId: string, sample: MetricSample, metric: "cpuPercent" | "memoryPercent", threshold: number, now: number): void {
    let byRule = this.streaks.get(ruleId);
    if (!byRule) this.streaks.set(ruleId, (byRule = new Map()));
    const key = subjectOf(sample.hostId, sample.containerId);
    byRule.set(key, { ...nextStreak(byRule.get(key), sample.t, sample[metric], threshold), receivedAt: now });
  }

  /** Drops restart times older than any window and metric runs that stopped receiving samples. */
  prune(now: number, staleMs: number): void {
    for (const [key, times] of this.restarts) {
      const kept = times.filter((t) => t > now - LONGEST_WINDOW_MS);
      if (kept.length) this.restarts.set(key, kept);
      else this.restarts.delete(key);
    }
    for (const byRule of this.streaks.values()) for (const [key, s] of byRule) if (now - s.receivedAt > staleMs) byRule.delete(key);
  }

  /** Starts where a firing alert says things were, so a server restart neither resolves nor re-fires it. */
  seedFrom(a: { kind: string; ruleId: string | null; hostId: string; containerId: string | null; firedAt: number; value: number | null }, seconds: number): void {
    const key = subjectOf(a.hostId, a.containerId);
    if (a.kind === "host_offline") this.offlineSeeds.set(a.hostId, a.firedAt - seconds * 1000);
    if (a.kind === "container_died") this.deaths.set(key, { t: a.firedAt, exitCode: a.value });
    if (a.kind === "container_unhealthy") this.unhealthySince.set(key, a.firedAt - seconds * 1000);
    if (a.kind === "container_restarting") this.restarts.set(key, Array.from({ length: Math.max(1, a.value ?? 1) }, () => a.firedAt));
    if ((a.kind === "cpu_above" || a.kind === "memory_above") && a.ruleId) {
      const byRule = this.streaks.get(a.ruleId) ?? new Map<string, Streak & { receivedAt: number }>();
      // As if samples had been above since `seconds` before it fired, the last one at the firing time.
      byRule.set(key, { since: a.firedAt - seconds * 1000, lastT: a.firedAt, value: a.value, receivedAt: Date.now() });
      this.streaks.set(a.ruleId, byRule);
    }
  }

  forgetRule(ruleId: string): void {
    this.streaks.delete(ruleId);
  }

  private forgetContainer(key: string): void {
    this.deaths.delete(key);
    this.restarts.delete(key);
    this.unhealthySince.delete(key);
    this.diedSinceStart.delete(key);
  }
}

export const subjectOf = (hostId: string, containerId: string | null) => `${hostId}|${containerId ?? ""}`;
