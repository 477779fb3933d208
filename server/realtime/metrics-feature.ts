import { ZMetricsTick, type MetricsSubscribe, type MetricsTick } from "../../agents/protocol";
import { can } from "../auth/access";
import type { AcceptedTick, LiveMetricsTick } from "../domain/metrics/metrics-hub";
import { metricsHub } from "../domain/metrics/metrics-hub-registry";
import { loadMetricsSettings, type MetricsSettings } from "../domain/metrics/metrics-settings";
import type { Services } from "../services";
import { isPlainValidTick } from "./metrics-tick-check";
import { defineFeature, type BrowserSocket } from "./realtime-feature";

const HOST_ONLY = ""; // a subscription to the host itself (its totals and every container's summary)

/**
 * Live metrics: agents' ticks go into the metrics hub (rings, rollups, the alert feed) and on to the
 * browsers subscribed to that host. Agents are told which containers to report in full: the union of
 * containers any browser watches on that host, re-sent whenever it changes and when an agent connects.
 */
export function metricsFeature(services: Services, settings: MetricsSettings = loadMetricsSettings()) {
  const hub = metricsHub(services);
  const subs = new Map<string, { socket: BrowserSocket; hosts: Map<string, Set<string>> }>();
  const sentWatch = new Map<string, string>(); // hostId -> the watch last sent (to skip repeats)

  function watchedOn(hostId: string): string[] {
    const ids = new Set<string>();
    for (const { hosts } of subs.values()) for (const id of hosts.get(hostId) ?? []) if (id !== HOST_ONLY) ids.add(id);
    return [...ids].sort();
  }

  function sendWatch(hostId: string, force = false): void {
    const watch = { containerIds: watchedOn(hostId), allDetail: settings.allDetail, intervalSeconds: settings.intervalSeconds };
    const key = JSON.stringify(watch);
    if (!force && sentWatch.get(hostId) === key) return;
    if (services.commands.links.emit(hostId, "metrics:watch", watch)) sentWatch.set(hostId, key);
  }

  function drop(socket: BrowserSocket, hostId: string, containerId: string | null): void {
    const mine = subs.get(socket.id);
    const set = mine?.hosts.get(hostId);
    if (!mine || !set) return;
    if (containerId === null) mine.hosts.delete(hostId);
    else {
      set.delete(containerId);
      if (!set.size) mine.hosts.delete(hostId);
    }
    if (!mine.hosts.size) subs.delete(socket.id);
    sendWatch(hostId);
  }

  const onTick = (tick: AcceptedTick) => {
    for (const { socket, hosts } of subs.values()) {
      const wanted = hosts.get(tick.hostId);
      if (!wanted || !can(socket.data.actor.access, "host:read", tick.hostId)) continue;
      const live: LiveMetricsTick = { ...tick, details: tick.details.filter((d) => wanted.has(d.id)) };
      socket.volatile.emit("metrics:tick", live); // a tab that falls behind skips ticks rather than queueing them
    }
  };
  hub.on("tick", onTick);

  return defineFeature({
    name: "metrics",
    agentEvents: {
      "metrics:tick": {
        schema: ZMetricsTick,
        accepts: isPlainValidTick,
        handle: (hostId: string, tick: MetricsTick) => {
          hub.ingest(hostId, tick);
          return null;
        },
      },
    },
    browserEvents: {
      "metrics:subscribe": async ({ socket, data }) => {
        const { hostId, containerId } = data as MetricsSubscribe;
        if (containerId && !services.registry.get(hostId)?.containers.has(containerId)) {
          return { ok: false, error: { code: "NOT_FOUND", message: `no container ${containerId.slice(0, 12)} on host ${hostId}` } };
        }
        const mine = subs.get(socket.id) ?? { socket, hosts: new Map<string, Set<string>>() };
        const set = mine.hosts.get(hostId) ?? new Set<string>();
        set.add(containerId ?? HOST_ONLY);
        mine.hosts.set(hostId, set);
        subs.set(socket.id, mine);
        sendWatch(hostId);
        return { ok: true, data: { hostId, containerId: containerId ?? null, intervalSeconds: settings.intervalSeconds } };
      },
      "metrics:unsubscribe": async ({ socket, data }) => {
        const { hostId, containerId } = data as MetricsSubscribe;
        drop(socket, hostId, containerId ?? HOST_ONLY);
        return { ok: true, data: null };
      },
    },
    recheckBrowser(socket, actor) {
      for (const hostId of [...(subs.get(socket.id)?.hosts.keys() ?? [])]) {
        if (can(actor.access, "host:read", hostId)) continue;
        drop(socket, hostId, null);
        socket.emit("stream:ended", { stream: `metrics:${hostId}`, reason: "your access to this host was removed" });
      }
    },
    browserDisconnected(socket) {
      const hosts = [...(subs.get(socket.id)?.hosts.keys() ?? [])];
      subs.delete(socket.id);
      for (const hostId of hosts) sendWatch(hostId);
    },
    agentConnected(hostId) {
      sentWatch.delete(hostId);
      sendWatch(hostId, true);
    },
    agentDisconnected(hostId) {
      sentWatch.delete(hostId);
      const live = services.registry.get(hostId);
      if (live) hub.prune(hostId, new Set(live.containers.keys()));
    },
  });
}
