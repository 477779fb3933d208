import type { ContainerSummary, HostMetrics } from "../../../agents/protocol";

/** Per container: cpuPercent, memBytes, memLimit (NaN: none), netRxBps, netTxBps. */
const FIELDS = 5;

export type LatestContainer = Pick<ContainerSummary, "id" | "cpuPercent" | "memBytes" | "memLimit" | "netRxBps" | "netTxBps">;

/**
 * A host's newest reading for "now" views (the fleet's top consumers): its totals and each
 * container's headline numbers, rewritten in place on every tick. Not the tick itself: a tick kept
 * for its second of life outlives two scavenges, so at 2,000 agents the ticks were promoted to the
 * old generation and only full mark-compacts freed them (one every ~5 s, with ~300 ms of marking).
 */
export class LatestReading {
  receivedAt = 0;
  cpuPercent = 0;
  memUsed = 0;
  memTotal = 0;
  load1 = 0;
  /** Container ids: long-lived strings the caller keeps anyway, not the tick's. */
  private readonly ids: string[] = [];
  private values = new Float64Array(0);

  get count(): number {
    return this.ids.length;
  }

  setHost(receivedAt: number, host: HostMetrics): void {
    this.receivedAt = receivedAt;
    this.cpuPercent = host.cpuPercent;
    this.memUsed = host.memUsed;
    this.memTotal = host.memTotal;
    this.load1 = host.load[0];
  }

  setContainer(i: number, id: string, c: ContainerSummary): void {
    if ((i + 1) * FIELDS > this.values.length) {
      const grown = new Float64Array(Math.max(8, (i + 1) * 2) * FIELDS);
      grown.set(this.values);
      this.values = grown;
    }
    this.ids[i] = id;
    const at = i * FIELDS;
    this.values[at] = c.cpuPercent;
    this.values[at + 1] = c.memBytes;
    this.values[at + 2] = c.memLimit ?? NaN;
    this.values[at + 3] = c.netRxBps;
    this.values[at + 4] = c.netTxBps;
  }

  /** Keeps the first `count` containers (the rest were not in the newest tick). */
  truncate(count: number): void {
    this.ids.length = count;
  }

  cpuPercentAt(i: number): number {
    return this.values[i * FIELDS]!;
  }

  memBytesAt(i: number): number {
    return this.values[i * FIELDS + 1]!;
  }

  container(i: number): LatestContainer {
    const at = i * FIELDS;
    const memLimit = this.values[at + 2]!;
    return { id: this.ids[i]!, cpuPercent: this.values[at]!, memBytes: this.values[at + 1]!, memLimit: Number.isNaN(memLimit) ? null : memLimit, netRxBps: this.values[at + 3]!, netTxBps: this.values[at + 4]! };
  }
}
