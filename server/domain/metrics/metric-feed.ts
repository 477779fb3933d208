import { EventEmitter } from "node:events";

/**
 * One reading the alert engine can judge, derived from an agent's metrics tick: a host's totals
 * (containerId null) or one container's. Percentages are 0-100; null when the agent could not tell.
 */
export type MetricSample = {
  hostId: string;
  containerId: string | null;
  /** Milliseconds since the epoch, the agent's time of the reading. */
  t: number;
  /** CPU as % of the whole host (all cores = 100). */
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** Memory as % of the container's limit (or of host RAM when unlimited / for a host). */
  memoryPercent: number | null;
};

/** Where metrics ingest publishes every sample it accepted; alerts (and anything else) listen. */
export class MetricFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly wants = new Set<() => boolean>();

  /** Whether any listener wants samples now: building them for every container each second is not free. */
  get wanted(): boolean {
    for (const wants of this.wants) if (wants()) return true;
    return false;
  }

  publish(samples: readonly MetricSample[]): void {
    if (samples.length) this.emitter.emit("samples", samples);
  }

  /** `wanted` tells whether this listener needs samples at the moment (default: always). */
  onSamples(listener: (samples: readonly MetricSample[]) => void, wanted: () => boolean = () => true): () => void {
    this.emitter.on("samples", listener);
    this.wants.add(wanted);
    return () => {
      this.emitter.off("samples", listener);
      this.wants.delete(wanted);
    };
  }
}
