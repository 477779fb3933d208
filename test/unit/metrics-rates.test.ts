import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ContainerCounters } from "../../agents/host/metrics/counters";
import { parseDiskstats, parseLoadavg, parseMeminfo, parseProcStat } from "../../agents/host/metrics/host-counters";
import { isHostUplink, parseNetDev, sumInterfaces } from "../../agents/host/metrics/net-dev";
import { containerDetail, containerSummary, hostMetrics, perSecond } from "../../agents/host/metrics/rates";
import { ZContainerDetail, ZHostMetrics } from "../../agents/protocol";

const HOST = path.resolve(__dirname, "../fixtures/cgroup/host");
const fixture = (name: string) => fs.readFileSync(path.join(HOST, name), "utf8");
const ID = "a".repeat(64);

function counters(over: Partial<ContainerCounters> = {}): ContainerCounters {
  return {
    cpuUsageNs: 0, detailed: true, cpuPeriods: 0, cpuThrottledPeriods: 0, cpuThrottledNs: 0, cpuLimitCores: null,
    memUsage: 0, memWorkingSet: 0, memRss: 0, memCache: 0, memLimit: null, oomKills: 0, pids: 1, pidsLimit: null,
    blkReadBytes: 0, blkWriteBytes: 0, net: { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, errors: 0, drops: 0 },
    ...over,
  };
}

describe("[METRICS][RATES] container rates between two readings", () => {
  it.each([
    // cpu ns used, seconds, host cores, % of host
    [1e9, 1, 2, 50],
    [2e9, 1, 2, 100],
    [0.5e9, 2, 4, 6.25],
    [0, 1, 2, 0],
  ])("%d ns over %d s on %d cores = %d%% of the host", (ns, seconds, cpus, pct) => {
    expect(containerSummary(ID, counters(), counters({ cpuUsageNs: ns }), seconds, cpus).cpuPercent).toBeCloseTo(pct, 3);
  });

  it("a counter that went backwards (restart) counts as zero, not negative", () => {
    const s = containerSummary(ID, counters({ cpuUsageNs: 5e9, blkReadBytes: 100 }), counters({ cpuUsageNs: 1e9, blkReadBytes: 50 }), 1, 2);
    expect(s.cpuPercent).toBe(0);
    expect(s.blkReadBps).toBe(0);
    expect(perSecond(10, 5, 1)).toBe(0);
    expect(perSecond(0, 10, 0)).toBe(0);
  });

  it("no throttling window before the container was first read in full", () => {
    const prev = counters({ detailed: false });
    const cur = counters({ cpuPeriods: 500, cpuThrottledPeriods: 100, cpuThrottledNs: 9e9 });
    expect(containerDetail(containerSummary(ID, prev, cur, 1, 2), prev, cur, 1, "cgroup-v1")).toMatchObject({ cpuPeriods: 0, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0 });
  });

  it("detail: % of its CPU limit, throttling in the window, packets, errors", () => {
    const prev = counters({ cpuLimitCores: 0.5, cpuPeriods: 100, cpuThrottledPeriods: 10, cpuThrottledNs: 1e9 });
    const cur = counters({
      cpuUsageNs: 1e9, cpuLimitCores: 0.5, cpuPeriods: 120, cpuThrottledPeriods: 25, cpuThrottledNs: 1.5e9,
      memWorkingSet: 1000, memLimit: 4000, oomKills: 1,
      net: { rxBytes: 4000, txBytes: 2000, rxPackets: 40, txPackets: 20, errors: 2, drops: 4 },
    });
    const summary = containerSummary(ID, prev, cur, 2, 4);
    const d = containerDetail(summary, prev, cur, 2, "cgroup-v2");
    expect(ZContainerDetail.parse(d)).toEqual(d);
    expect(d).toMatchObject({
      cpuPercent: 12.5, cpuOfLimitPercent: 100, cpuPeriods: 20, cpuThrottledPeriods: 15, cpuThrottledSeconds: 0.5,
      memBytes: 1000, memLimit: 4000, oomKills: 1, netRxBps: 2000, netTxBps: 1000, netRxPps: 20, netTxPps: 10, netErrors: 1, netDrops: 2,
    });
  });
});

describe("[METRICS][HOST] /proc parsers (recorded from this machine)", () => {
  it("/proc/stat: total and per-core busy/total jiffies", () => {
    const a = parseProcStat(fixture("stat-1"));
    const b = parseProcStat(fixture("stat-2"));
    expect(a.cores.length).toBe(b.cores.length);
    expect(a.cores.length).toBeGreaterThan(0);
    expect(b.total.total).toBeGreaterThan(a.total.total);
    expect(a.total.busy).toBeLessThanOrEqual(a.total.total);
  });

  it.each([
    ["cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 100 0 100 700 100 0 0 0 0 0\n", "cpu  200 0 200 1300 300 0 0 0 0 0\ncpu0 200 0 200 1300 300 0 0 0 0 0\n", 20],
    ["cpu  0 0 0 100 0 0 0 0\n", "cpu  50 0 50 100 0 0 0 0\n", 100],
  ])("host CPU: busy share of the jiffies between two readings", (a, b, pct) => {
    const base = { mem: parseMeminfo(fixture("meminfo")), load: [0, 0, 0] as [number, number, number], uptimeSeconds: 1, interfaces: [], disk: { readBytes: 0, writeBytes: 0 } };
    const m = hostMetrics({ ...base, cpu: parseProcStat(a) }, { ...base, cpu: parseProcStat(b) }, 1, []);
    expect(m.cpuPercent).toBe(pct);
  });

  it("/proc/meminfo: used = total - available; swap", () => {
    const m = parseMeminfo("MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    400 kB\nSwapTotal:       200 kB\nSwapFree:         50 kB\n");
    expect(m).toEqual({ memTotal: 1024000, memAvailable: 409600, memUsed: 614400, swapTotal: 204800, swapUsed: 153600 });
    expect(parseMeminfo(fixture("meminfo")).memTotal).toBeGreaterThan(0);
  });

  it("/proc/net/dev: per interface, loopback and container plumbing left out of the host total", () => {
    const ifaces = parseNetDev("Inter-|\n face |\n    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: 2000 20 1 2 0 0 0 0 1000 10 3 4 0 0 0 0\nveth12ab: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n");
    expect(ifaces.map((i) => i.name)).toEqual(["lo", "eth0", "veth12ab"]);
    expect(ifaces[1]).toMatchObject({ rxBytes: 2000, rxPackets: 20, txBytes: 1000, txPackets: 10, errors: 4, drops: 6 });
    expect(sumInterfaces(ifaces, isHostUplink)).toMatchObject({ rxBytes: 2000, txBytes: 1000 });
    expect(sumInterfaces(ifaces)).toMatchObject({ rxBytes: 2500 }); // a container's view: all but lo
    expect(parseNetDev(fixture("net-dev-1")).some((i) => i.name === "lo")).toBe(true);
  });

  it("/proc/diskstats: sectors × 512 over whole disks only", () => {
    const text = " 254 0 vda 10 0 8 0 20 0 16 0 0 0 0\n 254 1 vda1 10 0 8 0 20 0 16 0 0 0 0\n 7 0 loop0 1 0 1000 0 0 0 0 0 0 0 0\n";
    expect(parseDiskstats(text, (n) => n === "vda")).toEqual({ readBytes: 8 * 512, writeBytes: 16 * 512 });
    expect(parseDiskstats(fixture("diskstats-2"), (n) => n === "vda").readBytes).toBeGreaterThan(0);
  });

  it("builds host metrics the protocol accepts from two recorded readings", () => {
    const read = (i: 1 | 2) => ({
      cpu: parseProcStat(fixture(`stat-${i}`)), mem: parseMeminfo(fixture("meminfo")), load: parseLoadavg(fixture("loadavg")), uptimeSeconds: 100,
      interfaces: parseNetDev(fixture(`net-dev-${i}`)), disk: parseDiskstats(fixture(`diskstats-${i}`), (n) => n === "vda"),
    });
    const m = hostMetrics(read(1), read(2), 1, [{ mount: "/", fsType: "ext4", totalBytes: 100, usedBytes: 40 }]);
    expect(ZHostMetrics.parse(m)).toEqual(m);
    expect(m.perCore.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(m.interfaces.some((i) => i.name === "lo")).toBe(false);
  });
});
