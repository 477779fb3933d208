import os from "node:os";
import Docker from "dockerode";
import { ZMetricsWatch, type MetricsWatch } from "../../protocol/metrics";
import type { AgentFeature, AgentFeatureContext } from "../agent-feature";
import { dockerOptions } from "../runtime/docker-runtime";
import { MetricsCollector, type Watch } from "./collector";
import { RunningContainers } from "./running-containers";

const DEFAULT_INTERVAL_S = 1;

/**
 * Reads host and container metrics every interval while the link is up and sends one "metrics:tick".
 * The server says which containers it wants in full ("metrics:watch"); the watch set is forgotten on
 * disconnect (the server sends it again when the agent is back).
 */
export function metricsFeature(): AgentFeature {
  let ctx: AgentFeatureContext | null = null;
  let collector: MetricsCollector | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let intervalMs = DEFAULT_INTERVAL_S * 1000;
  let watch: Watch = { ids: new Set(), all: false };
  let lastSource: string | null = null;

  const schedule = () => {
    if (timer || !running) return;
    timer = setTimeout(tick, intervalMs);
  };

  async function tick(): Promise<void> {
    timer = null;
    if (!ctx || !collector || !running) return;
    try {
      const reading = await collector.collect(watch);
      if (reading && ctx.isAuthenticated()) ctx.socket.emit("metrics:tick", reading);
      if (reading && reading.source !== lastSource) {
        lastSource = reading.source;
        ctx.log.info("metrics source", { source: reading.source, note: reading.sourceNote });
      }
    } catch (err) {
      ctx.log.warn("metrics collection failed", { error: (err as Error).message });
    } finally {
      schedule();
    }
  }

  return {
    name: "metrics",
    start(c) {
      ctx = c;
      const docker = new Docker(dockerOptions(c.config.dockerHost));
      collector = new MetricsCollector({ docker, containers: new RunningContainers(docker), cpus: os.cpus().length || 1, hostMemory: os.totalmem() });
      c.socket.on("metrics:watch", (raw: unknown) => {
        const parsed = ZMetricsWatch.safeParse(raw);
        if (!parsed.success) return c.log.warn("malformed metrics:watch ignored", { issue: parsed.error.issues[0]?.message });
        apply(parsed.data);
      });
    },
    connected() {
      running = true;
      schedule();
    },
    disconnected() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      watch = { ids: new Set(), all: false };
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      collector?.stop();
    },
  };

  function apply(w: MetricsWatch): void {
    watch = { ids: new Set(w.containerIds), all: w.allDetail };
    const next = w.intervalSeconds * 1000;
    if (next !== intervalMs) {
      intervalMs = next;
      if (timer) {
        clearTimeout(timer);
        timer = null;
        schedule();
      }
    }
  }
}
