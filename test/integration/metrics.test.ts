import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningAgent } from "../../agents/host/agent";
import type { ContainerDetail, ContainerSummary } from "../../agents/protocol";
import { createUser } from "../../server/auth/create-user";
import type { MetricSample } from "../../server/domain/metrics/metric-feed";
import type { AcceptedTick } from "../../server/domain/metrics/metrics-hub";
import { metricsHub } from "../../server/domain/metrics/metrics-hub-registry";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

// Real engine, real agent (in-process), real cgroup files: what the agent reports must agree with the
// kernel counters this test reads itself over the same window. Never wall-clock expectations: the
// machines are shared, so a burner gets what the scheduler gives it; the counters say what that was.
const run = promisify(execFile);
const docker = async (...args: string[]) => (await run("docker", args)).stdout.trim();
const TAG = `portolan-metrics-${process.pid}`;
const MiB = 1024 * 1024;
const CG = "/sys/fs/cgroup";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let agent: RunningAgent;
let hostId: string;
const ids = { burner: "", holder: "", idle: "" };
const ticks: AcceptedTick[] = [];
const samples: MetricSample[] = [];

async function start(name: string, args: string[], cmd: string[]): Promise<string> {
  return docker("run", "-d", "--name", `${TAG}-${name}`, "--label", "portolan.test=1", "--network", "none", ...args, "local/busybox:latest", ...cmd);
}

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  ids.burner = await start("burner", ["--cpus", "0.5"], ["sh", "-c", "while :; do :; done"]);
  ids.holder = await start("holder", ["--memory", "128m", "--tmpfs", "/fill:size=100m"], ["sh", "-c", "dd if=/dev/zero of=/fill/x bs=1M count=64 2>/dev/null; sleep 600"]);
  ids.idle = await start("idle", [], ["sleep", "600"]);
  metricsHub(services).on("tick", (t) => ticks.push(t));
  services.metrics.onSamples((s) => samples.push(...s));
  ({ agent, hostId } = await startTestAgent({ services, serverUrl: server.url, hostName: "metrics-engine", dockerHost: process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock" }));
  await waitFor(() => ticks.some((t) => [ids.burner, ids.holder, ids.idle].every((id) => t.containers.some((c) => c.id === id))), "a tick with all three containers", 20_000);
}, 60_000);

afterAll(async () => {
  agent?.stop();
  await docker("rm", "-f", `${TAG}-burner`, `${TAG}-holder`, `${TAG}-idle`, `${TAG}-late`).catch(() => undefined);
  await server?.close();
  await services?.cleanup();
});

const read = (path: string) => fs.readFileSync(path, "utf8");
const cpuUsageNs = (id: string) => Number(read(`${CG}/cpuacct/docker/${id}/cpuacct.usage`).trim());
/** The working set as the kernel accounts it: usage minus inactive file pages. */
function workingSet(id: string): number {
  const usage = Number(read(`${CG}/memory/docker/${id}/memory.usage_in_bytes`).trim());
  const inactive = Number(/^total_inactive_file (\d+)$/m.exec(read(`${CG}/memory/docker/${id}/memory.stat`))?.[1] ?? 0);
  return usage - inactive;
}
const summaryOf = (t: AcceptedTick, id: string): ContainerSummary | undefined => t.containers.find((c) => c.id === id);

/** Waits for the next n ticks, calling `atEach` synchronously as each one arrives. */
function nextTicks(n: number, atEach: (t: AcceptedTick) => void): Promise<void> {
  return new Promise((resolve) => {
    const hub = metricsHub(services);
    let left = n;
    const on = (t: AcceptedTick) => {
      atEach(t);
      if (--left === 0) {
        hub.off("tick", on);
        resolve();
      }
    };
    hub.on("tick", on);
  });
}

describe("[METRICS][AGENT] cgroup-direct container metrics on the real engine", () => {
  it("reads cgroup v1 directly (no Docker stats API) and says so", () => {
    const last = ticks.at(-1)!;
    expect(fs.existsSync(`${CG}/memory/docker/${ids.burner}`)).toBe(true); // this machine: v1, cgroupfs
    expect(last.source).toBe("cgroup-v1");
    expect(last.sourceNote).toBeNull();
  });

  it("reports the burner's CPU as the kernel counted it over the same window (within 5%)", async () => {
    const cpus = os.cpus().length;
    let startNs = 0;
    let endNs = 0;
    let reportedSeconds = 0;
    let first = true;
    await nextTicks(9, (t) => {
      // Read the counter the moment the tick lands: it closes the agent's window (a few ms earlier).
      const now = cpuUsageNs(ids.burner);
      const s = summaryOf(t, ids.burner);
      if (first) {
        startNs = now;
        first = false;
        return;
      }
      endNs = now;
      if (s) reportedSeconds += (s.cpuPercent / 100) * cpus * (t.intervalMs / 1000);
    });
    const kernelSeconds = (endNs - startNs) / 1e9;
    expect(kernelSeconds).toBeGreaterThan(1); // the burner really ran
    expect(Math.abs(reportedSeconds - kernelSeconds) / kernelSeconds).toBeLessThan(0.05);
  }, 30_000);

  it("reports the memory holder's working set as the cgroup counts it, and --memory as its limit", async () => {
    const pairs: { reported: number; kernel: number }[] = [];
    await nextTicks(3, (t) => {
      const kernel = workingSet(ids.holder);
      const s = summaryOf(t, ids.holder);
      if (s) pairs.push({ reported: s.memBytes, kernel });
    });
    expect(pairs.length).toBe(3);
    for (const p of pairs) {
      expect(p.kernel).toBeGreaterThanOrEqual(64 * MiB); // the 64 MiB tmpfs file is charged to it
      expect(Math.abs(p.reported - p.kernel) / p.kernel).toBeLessThan(0.05);
    }
    const last = summaryOf(ticks.at(-1)!, ids.holder)!;
    expect(last.memLimit).toBe(128 * MiB);
    expect(summaryOf(ticks.at(-1)!, ids.burner)!.memLimit).toBeNull();
    const sample = samples.findLast((s) => s.containerId === ids.holder)!;
    expect(sample.memoryPercent).toBeCloseTo((sample.memoryBytes! / (128 * MiB)) * 100, 3);
  }, 30_000);

  it("reads the idle container near zero", async () => {
    const cpu: number[] = [];
    await nextTicks(3, (t) => cpu.push(summaryOf(t, ids.idle)?.cpuPercent ?? NaN));
    expect(cpu.every((x) => Number.isFinite(x))).toBe(true);
    expect(Math.max(...cpu)).toBeLessThan(1);
    expect(summaryOf(ticks.at(-1)!, ids.idle)!.pids).toBe(1);
  }, 30_000);

  it("sends full detail only for watched containers, with throttling and limits", async () => {
    expect(ticks.at(-1)!.details).toEqual([]); // nobody watches yet
    const mark = ticks.length;
    services.commands.links.emit(hostId, "metrics:watch", { containerIds: [ids.holder, ids.burner], allDetail: false, intervalSeconds: 1 });
    // The first detailed reading opens the throttling window; the second one reports it.
    await waitFor(() => ticks.slice(mark).filter((t) => t.details.some((d) => d.id === ids.burner)).length >= 2, "two detailed ticks", 10_000);
    // A burner hits its quota in most 100 ms periods, but on a saturated machine it may get less than
    // its half core for a while: wait for a reading that covers a throttled period.
    const last = await waitFor(
      () => ticks.slice(mark).findLast((t) => (t.details.find((d) => d.id === ids.burner)?.cpuThrottledPeriods ?? 0) > 0 && t.details.length === 2),
      "a detailed tick with throttled periods",
      15_000,
    );
    expect(last.details.map((d: ContainerDetail) => d.id).sort()).toEqual([ids.holder, ids.burner].sort());
    const holder = last.details.find((d) => d.id === ids.holder)!;
    expect(holder).toMatchObject({ source: "cgroup-v1", oomKills: 0, cpuLimitCores: null, cpuOfLimitPercent: null });
    expect(holder.memCache).toBeGreaterThanOrEqual(64 * MiB); // tmpfs pages are shmem, counted as cache by v1
    const burner = last.details.find((d) => d.id === ids.burner)!;
    expect(burner.cpuLimitCores).toBe(0.5); // --cpus 0.5 = quota 50000 / period 100000
    expect(burner.cpuPeriods).toBeGreaterThan(0);
    expect(burner.cpuThrottledPeriods).toBeGreaterThan(0); // a burner always hits its quota
    expect(burner.cpuOfLimitPercent).toBeCloseTo((burner.cpuPercent * os.cpus().length) / 0.5, 0);
  }, 40_000);

  it("notices containers that start and stop after the agent did (engine events)", async () => {
    const late = await start("late", [], ["sleep", "600"]);
    await waitFor(() => ticks.at(-1)!.containers.some((c) => c.id === late), "the new container in a tick", 10_000);
    await docker("rm", "-f", `${TAG}-late`);
    await waitFor(() => !ticks.at(-1)!.containers.some((c) => c.id === late), "the removed container gone from ticks", 10_000);
  }, 30_000);

  it("reports host totals from /proc", () => {
    const h = ticks.at(-1)!.host;
    expect(h.perCore.length).toBe(os.cpus().length);
    expect(h.memTotal).toBe(Number(/^MemTotal:\s+(\d+) kB$/m.exec(read("/proc/meminfo"))![1]) * 1024);
    expect(h.cpuPercent).toBeGreaterThan(0); // the burner alone keeps a core busy
    expect(h.disks.some((d) => d.mount === "/")).toBe(true);
  });
});

describe("[METRICS][API] metrics.query over the live ring", () => {
  it("returns the burner's CPU at full resolution for a short range, and refuses a container of another host", async () => {
    const admin = await createUser(services, { email: "metrics-admin@x.test", password: "correct-horse-battery", grantOnAllHosts: "admin" });
    const caller = createCaller({ services, actor: await actorFor(services, admin), sourceIp: "127.0.0.1", requestOrigin: null });
    const now = Date.now();
    const res = await caller.metrics.query({ hostId, containerId: ids.burner, metric: "cpu", from: now - 5 * 60_000, to: now });
    expect(res.tier).toBe("raw");
    expect(res.points.length).toBeGreaterThan(5);
    expect(res.points.every((p) => p.min === p.avg && p.avg === p.max)).toBe(true);
    const hostCpu = await caller.metrics.query({ hostId, metric: "load1", from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() });
    expect(hostCpu.points.length).toBeGreaterThan(0);
    const other = await services.db.host.create({ data: { name: "other", publicKey: "O".repeat(44) } });
    await expect(caller.metrics.query({ hostId: other.id, containerId: ids.burner, metric: "cpu", from: now - 60_000, to: now })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.metrics.query({ hostId, metric: "cpu", from: now, to: now - 1 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const top = await caller.metrics.fleetTop({ limit: 3 });
    expect(top.byCpu[0]).toMatchObject({ containerId: ids.burner, name: `${TAG}-burner`, hostId });
    expect(top.byMemory.map((c) => c.containerId)).toContain(ids.holder);
    const sparks = await caller.metrics.sparklines({ hostId });
    expect(sparks[ids.burner]!.cpu.length).toBeGreaterThan(3);
  });
});
