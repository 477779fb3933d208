import { z } from "zod";
import type { ContainerSummary, HostMetrics } from "../../../agents/protocol";

/**
 * The compact set of metrics kept in history (rings and rollups), one column group per name.
 * Containers: cpu, memory, memoryPercent, netRx, netTx, diskRead, diskWrite, pids.
 * Hosts: cpu, memory, memoryPercent, swap, load1, netRx, netTx, diskRead, diskWrite.
 */
export const METRIC_NAMES = ["cpu", "memory", "memoryPercent", "netRx", "netTx", "diskRead", "diskWrite", "pids", "swap", "load1"] as const;
export const ZMetricName = z.enum(METRIC_NAMES);
export type MetricName = z.infer<typeof ZMetricName>;

/** Column prefix of each metric in MetricRollup. */
export const METRIC_COLUMN: Record<MetricName, string> = {
  cpu: "cpu", memory: "mem", memoryPercent: "memPct", netRx: "netRx", netTx: "netTx",
  diskRead: "ioRead", diskWrite: "ioWrite", pids: "pids", swap: "swap", load1: "load1",
};

export const METRIC_UNITS: Record<MetricName, "percent" | "bytes" | "bytesPerSecond" | "count" | "load"> = {
  cpu: "percent", memory: "bytes", memoryPercent: "percent", netRx: "bytesPerSecond", netTx: "bytesPerSecond",
  diskRead: "bytesPerSecond", diskWrite: "bytesPerSecond", pids: "count", swap: "bytes", load1: "load",
};

/** One reading of a series, in METRIC_NAMES order; NaN where the metric does not apply. */
export type MetricValues = Float64Array;
export const METRIC_COUNT = METRIC_NAMES.length;
export const metricIndex = (name: MetricName) => METRIC_NAMES.indexOf(name);

export function containerValues(c: ContainerSummary, hostMemory: number): MetricValues {
  const limit = c.memLimit ?? hostMemory;
  return Float64Array.of(
    c.cpuPercent, c.memBytes, limit > 0 ? (c.memBytes / limit) * 100 : NaN, c.netRxBps, c.netTxBps,
    c.blkReadBps, c.blkWriteBps, c.pids, NaN, NaN,
  );
}

export function hostValues(h: HostMetrics): MetricValues {
  return Float64Array.of(
    h.cpuPercent, h.memUsed, h.memTotal > 0 ? (h.memUsed / h.memTotal) * 100 : NaN, h.netRxBps, h.netTxBps,
    h.diskReadBps, h.diskWriteBps, NaN, h.swapUsed, h.load[0],
  );
}
