import { z } from "zod";
import { ZMetricsTick } from "../../agents/protocol";
import type { DockerEventItem } from "../domain/events/event-item";
import type { AcceptedTick } from "../domain/metrics/metrics-hub";
import { metricsHub } from "../domain/metrics/metrics-hub-registry";
import type { OperationProgress } from "../realtime/operation-progress";
import type { Services } from "../services";
import type { ClusterBus } from "./cluster-bus";

/** Ticks are sent on in small batches: one Redis message per 100 ms rather than one per host per second. */
const TICK_BATCH_MS = 100;

const ZAcceptedTick = ZMetricsTick.extend({ hostId: z.string().max(128), receivedAt: z.number() });
const ZEventItem = z.object({
  id: z.number().int(),
  hostId: z.string().max(128),
  hostName: z.string().max(300),
  time: z.string().max(40),
  type: z.string().max(200),
  action: z.string().max(200),
  actorId: z.string().max(300),
  actorName: z.string().max(300).nullable(),
  attributes: z.record(z.string(), z.string()),
});
const ZProgress = z.object({
  operationId: z.string().max(128),
  hostId: z.string().max(128),
  kind: z.enum(["pull", "import"]),
  status: z.string().max(2000),
  currentBytes: z.number().optional(),
  totalBytes: z.number().optional(),
  done: z.boolean().optional(),
  error: z.string().max(2000).optional(),
});

/**
 * What one replica learns and every replica's browsers must see: accepted metrics ticks, stored
 * engine events, operation progress, access changes and alert changes. Each is stored or judged once,
 * where it arrived, and replayed into the same in-process feeds on the other replicas (so the browser
 * gateway and live features serve them unchanged). A replayed item is never sent on again.
 */
export function mirrorFeeds(services: Services, bus: ClusterBus): () => void {
  let replaying = false;
  const replay = (apply: () => void) => {
    replaying = true;
    try {
      apply();
    } finally {
      replaying = false;
    }
  };

  const hub = metricsHub(services);
  let ticks: AcceptedTick[] = [];
  let tickTimer: NodeJS.Timeout | null = null;
  const onTick = (tick: AcceptedTick) => {
    if (replaying) return;
    ticks.push(tick);
    tickTimer ??= setTimeout(() => {
      tickTimer = null;
      bus.broadcast("metrics:ticks", ticks);
      ticks = [];
    }, TICK_BATCH_MS);
  };
  hub.on("tick", onTick);
  bus.on("metrics:ticks", (body) => {
    const parsed = z.array(ZAcceptedTick).max(100_000).parse(body);
    replay(() => parsed.forEach((tick) => hub.mirror(tick as AcceptedTick)));
  });

  const onEvents = (items: DockerEventItem[]) => void (replaying || bus.broadcast("docker:events", items));
  services.dockerEvents.on("stored", onEvents);
  bus.on("docker:events", (body) => {
    const items = z.array(ZEventItem).max(10_000).parse(body);
    replay(() => services.dockerEvents.publish(items));
  });

  const onProgress = (progress: OperationProgress) => void (replaying || bus.broadcast("operation:progress", progress));
  services.operations.on("progress", onProgress);
  bus.on("operation:progress", (body) => {
    const progress = ZProgress.parse(body);
    replay(() => services.operations.report(progress));
  });

  // Someone's access narrowed on one replica: browsers connected to every replica re-check their caller.
  const onAccess = (reason: string) => void (replaying || bus.broadcast("access:changed", reason));
  services.accessChanges.on("changed", onAccess);
  bus.on("access:changed", (body) => {
    const reason = z.string().max(500).parse(body);
    replay(() => services.accessChanges.notify(reason));
  });

  // Alerts run on the leader; its "alerts" nudges reach browsers on every replica.
  const onChanged = (hostId: string, what: string) => void (what === "alerts" && !replaying && bus.broadcast("alerts:changed", hostId));
  services.registry.on("changed", onChanged);
  bus.on("alerts:changed", (body) => {
    const hostId = z.string().max(128).parse(body);
    replay(() => services.registry.emit("changed", hostId, "alerts"));
  });

  return () => {
    services.registry.off("changed", onChanged);
    if (tickTimer) clearTimeout(tickTimer);
    hub.off("tick", onTick);
    services.dockerEvents.off("stored", onEvents);
    services.operations.off("progress", onProgress);
    services.accessChanges.off("changed", onAccess);
  };
}
