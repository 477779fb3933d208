import type Docker from "dockerode";
import { z } from "zod";
import { ZERO_NET, type ContainerCounters } from "./counters";

const num = z.number().finite().nonnegative();
const ZBlkEntry = z.object({ op: z.string(), value: num }).loose();
const ZNet = z.object({ rx_bytes: num, tx_bytes: num, rx_packets: num, tx_packets: num, rx_errors: num, tx_errors: num, rx_dropped: num, tx_dropped: num }).loose();
const ZStats = z.object({
  cpu_stats: z.object({
    cpu_usage: z.object({ total_usage: num }).loose(),
    throttling_data: z.object({ periods: num, throttled_periods: num, throttled_time: num }).loose().optional(),
  }).loose(),
  memory_stats: z.object({ usage: num.optional(), limit: num.optional(), stats: z.record(z.string(), num).optional() }).loose(),
  pids_stats: z.object({ current: num.optional(), limit: num.optional() }).loose().optional(),
  blkio_stats: z.object({ io_service_bytes_recursive: z.array(ZBlkEntry).nullable().optional() }).loose().optional(),
  networks: z.record(z.string(), ZNet).optional(),
}).loose();

/**
 * The Docker stats API, used only for a container whose cgroup files cannot be read (an agent without
 * access to /sys/fs/cgroup). One-shot, so the engine does not sample for a second before answering.
 */
export async function dockerStatsCounters(docker: Docker, id: string, hostMemory: number): Promise<ContainerCounters | null> {
  try {
    const raw = await docker.getContainer(id).stats({ stream: false, "one-shot": true } as { stream: false });
    const s = ZStats.parse(raw);
    const mem = s.memory_stats.stats ?? {};
    const usage = s.memory_stats.usage ?? 0;
    const inactive = mem.total_inactive_file ?? mem.inactive_file ?? 0;
    const blk = s.blkio_stats?.io_service_bytes_recursive ?? [];
    const net = { ...ZERO_NET };
    for (const i of Object.values(s.networks ?? {})) {
      net.rxBytes += i.rx_bytes;
      net.txBytes += i.tx_bytes;
      net.rxPackets += i.rx_packets;
      net.txPackets += i.tx_packets;
      net.errors += i.rx_errors + i.tx_errors;
      net.drops += i.rx_dropped + i.tx_dropped;
    }
    const limit = s.memory_stats.limit ?? null;
    return {
      cpuUsageNs: s.cpu_stats.cpu_usage.total_usage,
      detailed: true,
      cpuPeriods: s.cpu_stats.throttling_data?.periods ?? 0,
      cpuThrottledPeriods: s.cpu_stats.throttling_data?.throttled_periods ?? 0,
      cpuThrottledNs: s.cpu_stats.throttling_data?.throttled_time ?? 0,
      cpuLimitCores: null,
      memUsage: usage,
      memWorkingSet: Math.max(0, usage - inactive),
      memRss: mem.total_rss ?? mem.anon ?? 0,
      memCache: mem.total_cache ?? mem.file ?? 0,
      // The engine reports host RAM as the limit of an unlimited container.
      memLimit: limit && limit < hostMemory ? limit : null,
      oomKills: 0,
      pids: s.pids_stats?.current ?? 0,
      pidsLimit: s.pids_stats?.limit || null,
      blkReadBytes: blk.filter((b) => b.op.toLowerCase() === "read").reduce((a, b) => a + b.value, 0),
      blkWriteBytes: blk.filter((b) => b.op.toLowerCase() === "write").reduce((a, b) => a + b.value, 0),
      net,
    };
  } catch {
    return null;
  }
}
