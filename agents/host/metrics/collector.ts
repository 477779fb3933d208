import fs from "node:fs";
import type Docker from "dockerode";
import type { ContainerDetail, ContainerSummary, MetricsSource, MetricsTick } from "../../protocol";
import { cgroupFiles, readCgroupCounters, type CgroupFiles, type CgroupLimits } from "./cgroup-counters";
import { locateCgroup, parseCgroupMounts, type CgroupLocation, type CgroupMounts } from "./cgroup-paths";
import type { ContainerCounters } from "./counters";
import { dockerStatsCounters } from "./docker-stats-fallback";
import type { HostCounters } from "./host-counters";
import { HostReader } from "./host-reader";
import { sumInterfaces, parseNetDev } from "./net-dev";
import { OpenFiles } from "./open-files";
import { containerDetail, containerSummary, hostMetrics } from "./rates";
import type { RunningContainers } from "./running-containers";

/** Limits (memory, quota, pids.max) are re-read every this many ticks: they change only on `docker update`. */
const LIMITS_EVERY = 10;

type Tracked = {
  pid: number;
  location: CgroupLocation | null;
  files: CgroupFiles | null;
  netDev: string;
  /** The container has its own network namespace (false for --network host: its traffic is the host's). */
  ownNetns: boolean;
  limits: CgroupLimits | null;
  ticksSinceLimits: number;
  prev: { counters: ContainerCounters; at: bigint } | null;
  source: MetricsSource;
};

export type Watch = { ids: ReadonlySet<string>; all: boolean };

/**
 * One reading of the host and every running container per call, as rates over the time since the
 * previous call. Container numbers come from the cgroup files found through each container's PID;
 * the Docker stats API is asked only for containers whose files cannot be read.
 */
export class MetricsCollector {
  private readonly files = new OpenFiles();
  private readonly host: HostReader;
  private readonly mounts: CgroupMounts;
  private readonly tracked = new Map<string, Tracked>();
  private prevHost: { counters: HostCounters; at: bigint } | null = null;
  private readonly cpus: number;
  private readonly selfNetns: string | null;
  private readonly read = (path: string) => this.files.read(path);

  constructor(private readonly deps: { docker: Docker; containers: RunningContainers; proc?: string; cpus: number; hostMemory: number }) {
    const proc = deps.proc ?? "/proc";
    this.host = new HostReader(this.files, proc);
    this.mounts = parseCgroupMounts(safeRead(`${proc}/mounts`) ?? "");
    this.cpus = deps.cpus;
    this.selfNetns = safeLink(`${proc}/self/ns/net`);
  }

  /** The files this collector keeps open (the benchmark reports it). */
  get openFiles(): number {
    return this.files.size;
  }

  async collect(watch: Watch): Promise<MetricsTick | null> {
    const running = await this.deps.containers.list();
    const hostNow = process.hrtime.bigint();
    const hostCounters = this.host.read();
    const t = Date.now();
    const containers: ContainerSummary[] = [];
    const details: ContainerDetail[] = [];
    const fallbacks: string[] = [];
    const seen = new Set<string>();

    for (const { id, pid } of running) {
      seen.add(id);
      let tr = this.tracked.get(id);
      if (!tr || tr.pid !== pid) {
        if (tr) this.untrack(id);
        tr = this.track(pid);
        this.tracked.set(id, tr);
      }
      const readLimits = tr.limits === null || tr.ticksSinceLimits >= LIMITS_EVERY;
      const detailed = watch.all || watch.ids.has(id);
      const at = process.hrtime.bigint();
      let counters = tr.files ? readCgroupCounters(this.read, tr.files, readLimits ? null : tr.limits, detailed) : null;
      if (counters) {
        tr.source = tr.files!.version === "1" ? "cgroup-v1" : "cgroup-v2";
        if (tr.ownNetns) counters.net = sumInterfaces(parseNetDev(this.files.read(tr.netDev) ?? ""));
      } else if (fs.existsSync(`/proc/${pid}`)) {
        counters = await dockerStatsCounters(this.deps.docker, id, this.deps.hostMemory);
        tr.source = counters ? "docker-api" : "none";
        fallbacks.push(id);
      } else {
        this.untrack(id); // exited between the list and now
        this.deps.containers.forget(id);
        continue;
      }
      if (!counters) continue;
      if (readLimits) {
        tr.limits = { cpuLimitCores: counters.cpuLimitCores, memLimit: counters.memLimit, pidsLimit: counters.pidsLimit };
        tr.ticksSinceLimits = 0;
      } else tr.ticksSinceLimits++;
      if (tr.prev) {
        const seconds = Number(at - tr.prev.at) / 1e9;
        const summary = containerSummary(id, tr.prev.counters, counters, seconds, this.cpus);
        containers.push(summary);
        if (detailed) details.push(containerDetail(summary, tr.prev.counters, counters, seconds, tr.source));
      }
      tr.prev = { counters, at };
    }
    for (const id of [...this.tracked.keys()]) if (!seen.has(id)) this.untrack(id);

    if (!hostCounters) return null;
    const prevHost = this.prevHost;
    this.prevHost = { counters: hostCounters, at: hostNow };
    if (!prevHost) return null; // rates need two readings
    const seconds = Number(hostNow - prevHost.at) / 1e9;
    return {
      t,
      intervalMs: Math.max(100, Math.round(seconds * 1000)),
      source: this.source(fallbacks.length > 0),
      sourceNote: fallbacks.length ? `cgroup files not readable for ${fallbacks.length} container(s); using the Docker stats API for them` : null,
      host: hostMetrics(prevHost.counters, hostCounters, seconds, this.host.diskUsage()),
      containers,
      details,
    };
  }

  stop(): void {
    this.deps.containers.stop();
    this.files.closeAll();
    this.tracked.clear();
  }

  private source(fellBack: boolean): MetricsSource {
    if (fellBack) return "docker-api";
    if (this.mounts.v1.has("memory")) return "cgroup-v1";
    return this.mounts.v2 ? "cgroup-v2" : "none";
  }

  private track(pid: number): Tracked {
    const text = safeRead(`/proc/${pid}/cgroup`);
    const netns = safeLink(`/proc/${pid}/ns/net`);
    const location = text === null ? null : locateCgroup(text, this.mounts);
    return {
      pid,
      location,
      files: location && cgroupFiles(location),
      netDev: `/proc/${pid}/net/dev`,
      ownNetns: netns !== null && netns !== this.selfNetns,
      limits: null,
      ticksSinceLimits: 0,
      prev: null,
      source: "none",
    };
  }

  private untrack(id: string): void {
    const tr = this.tracked.get(id);
    if (!tr) return;
    this.tracked.delete(id);
    this.files.closeUnder(`/proc/${tr.pid}/`);
    const loc = tr.location;
    if (loc?.version === "2") this.files.closeUnder(loc.dir + "/");
    else if (loc) for (const dir of Object.values(loc.dirs)) if (dir) this.files.closeUnder(dir + "/");
  }
}

function safeRead(path: string): string | null {
  try {
    return fs.readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function safeLink(path: string): string | null {
  try {
    return fs.readlinkSync(path);
  } catch {
    return null;
  }
}
