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

/** A container's reading, written into `out` (a new array without it: the ingest path reuses one). */
export function containerValues(c: ContainerSummary, hostMemory: number, out: MetricValues = new Float64Array(METRIC_COUNT)): MetricValues {
  const limit = c.memLimit ?? hostMemory;
  out[0] = c.cpuPercent;
  out[1] = c.memBytes;
  out[2] = limit > 0 ? (c.memBytes / limit) * 100 : NaN;
  out[3] = c.netRxBps;
  out[4] = c.netTxBps;
  out[5] = c.blkReadBps;
  out[6] = c.blkWriteBps;
  out[7] = c.pids;
  out[8] = NaN;
  out[9] = NaN;
  return out;
}

/** A host's reading, written into `out` (a new array without it). */
export function hostValues(h: HostMetrics, out: MetricValues = new Float64Array(METRIC_COUNT)): MetricValues {
  out[0] = h.cpuPercent;
  out[1] = h.memUsed;
  out[2] = h.memTotal > 0 ? (h.memUsed / h.memTotal) * 100 : NaN;
  out[3] = h.netRxBps;
  out[4] = h.netTxBps;
  out[5] = h.diskReadBps;
  out[6] = h.diskWriteBps;
  out[7] = NaN;
  out[8] = h.swapUsed;
  out[9] = h.load[0];
  return out;
}
