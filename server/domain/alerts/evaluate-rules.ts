import type { Container } from "../../../agents/protocol";
import type { LiveHost } from "../../realtime/host-registry";
import { aboveThreshold, containerDied, containerRestarting, containerUnhealthy, hostOffline, type Verdict } from "./evaluators";
import { hostsInScope, labelsMatch, type FleetView } from "./fleet-scope";
import { subjectOf, type Observations } from "./observations";
import type { Rule } from "./rule-schemas";

/** One rule judged on one host or container. */
export type Judgement = { key: string; rule: Rule; hostId: string; containerId: string | null; subject: string; verdict: Verdict };

export type EvaluationInput = {
  rules: readonly Rule[];
  fleet: FleetView;
  live: (hostId: string) => LiveHost | undefined;
  obs: Observations;
  now: number;
  /** When the engine started watching (hosts not seen since count as offline from here). */
  startedAt: number;
};

export const alertKey = (ruleId: string, hostId: string, containerId: string | null) => `${ruleId}|${hostId}|${containerId ?? ""}`;

/**
 * Judges every enabled rule on every subject in its scope that the engine can judge. A subject
 * missing from the result could not be judged (no data): its alert, if any, is left as it is.
 */
export function evaluateRules(input: EvaluationInput): Map<string, Judgement> {
  const out = new Map<string, Judgement>();
  const add = (rule: Rule, hostId: string, container: Pick<Container, "id" | "name"> | null, verdict: Verdict | null) => {
    if (!verdict) return;
    const key = alertKey(rule.id, hostId, container?.id ?? null);
    const hostName = input.fleet.hosts.get(hostId)?.name ?? hostId;
    out.set(key, { key, rule, hostId, containerId: container?.id ?? null, subject: container ? `${container.name} on ${hostName}` : hostName, verdict });
  };
  for (const rule of input.rules) {
    if (!rule.enabled) continue;
    for (const hostId of hostsInScope(rule, input.fleet)) {
      const live = input.live(hostId);
      if (rule.kind === "host_offline") {
        const offlineSince = live ? (live.lastSeenAt ?? input.startedAt) : (input.obs.offlineSeeds.get(hostId) ?? input.startedAt);
        add(rule, hostId, null, hostOffline(rule.params as { seconds: number }, { online: live?.online ?? false, offlineSince }, input.now));
        continue;
      }
      if (rule.target === "host") {
        add(rule, hostId, null, metricVerdict(rule, input.obs, subjectOf(hostId, null)));
        continue;
      }
      for (const c of live?.containers.values() ?? []) {
        if (!labelsMatch(rule.labelSelector, c.labels)) continue;
        add(rule, hostId, c, containerVerdict(rule, input, hostId, c));
      }
    }
  }
  return out;
}

function containerVerdict(rule: Rule, input: EvaluationInput, hostId: string, c: Container): Verdict | null {
  const key = subjectOf(hostId, c.id);
  const { obs, now } = input;
  switch (rule.kind) {
    case "container_died":
      return containerDied(rule.params as { ignoreCleanExit: boolean }, obs.deaths.get(key), c) ?? { firing: false, value: null, message: c.state === "running" ? "running again" : "stopped on request" };
    case "container_unhealthy":
      return containerUnhealthy(rule.params as { seconds: number }, obs.unhealthySince.get(key) ?? null, now);
    case "container_restarting":
      return containerRestarting(rule.params as { count: number; minutes: number }, obs.restarts.get(key) ?? [], now);
    case "cpu_above":
    case "memory_above":
      return metricVerdict(rule, obs, key);
    default:
      return null;
  }
}

function metricVerdict(rule: Rule, obs: Observations, subject: string): Verdict | null {
  const streak = obs.streaks.get(rule.id)?.get(subject);
  if (!streak) return null; // no samples yet: nothing to judge
  return aboveThreshold(rule.params as { threshold: number; seconds: number }, streak, rule.kind === "cpu_above" ? "CPU" : "memory");
}

/** Why a firing alert that could not be judged is over (null: no data, leave it firing). */
export function goneReason(
  a: { ruleId: string | null; hostId: string; containerId: string | null },
  ctx: { rules: readonly Rule[]; fleet: FleetView; live: (hostId: string) => LiveHost | undefined },
): string | null {
  const rule = ctx.rules.find((r) => r.id === a.ruleId);
  if (!rule) return "rule deleted";
  if (!rule.enabled) return "rule disabled";
  if (!ctx.fleet.hosts.has(a.hostId)) return "host removed";
  if (!hostsInScope(rule, ctx.fleet).includes(a.hostId)) return "host no longer in the rule's scope";
  if (a.containerId) {
    const live = ctx.live(a.hostId);
    const c = live?.containers.get(a.containerId);
    if (live?.online && live.facts && !c) return "container removed";
    if (c && !labelsMatch(rule.labelSelector, c.labels)) return "container no longer matches the rule's labels";
  }
  return null;
}
