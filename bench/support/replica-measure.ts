import type { FleetWatcher } from "./browser-watch";
import { readProbe, type ServerProcess } from "./prod-server";
import { cpuSeconds, rssBytes } from "./process-cpu";
import { pcts, type Pcts } from "./sim-fleet-measure";
import type { SimFleet } from "./sim-fleet";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Probe changes one browser should have shown, and how many it did (with latencies), from one group
 * of origins. Of the rest, `superseded` were never drawn because a later change of the same probe
 * reached the page first (one refetch brought both: the page shows state, not a log); `lost` were
 * followed by nothing newer within the grace after the window (15 s).
 */
export type Delivery = { expected: number; delivered: number; superseded: number; lost: number; latencyMs: Pcts };

export type BrowserResult = {
  /** The replica this browser is signed in to and connected to. */
  replica: number;
  all: Delivery;
  /** Probes whose agent is connected to this browser's replica. */
  sameReplica: Delivery;
  /** Probes whose agent is connected to another replica (they cross Redis). */
  otherReplica: Delivery;
  /** metrics:tick frames received per second (ticks of the whole fleet, from every replica), and their delay. */
  ticksPerSecond: number;
  tickToBrowserMs: Pcts;
};

export type ServerResult = {
  replica: number;
  cpuPercentOfOneCore: number;
  rssMiB: { end: number; max: number };
  framesPerSecond: number;
  loopDelayMs: { p99Mean: number; max: number };
};

export type ReplicaPhaseResult = {
  label: string;
  replicas: number;
  agents: number;
  containers: number;
  seconds: number;
  browsers: BrowserResult[];
  servers: ServerResult[];
  /** The private Redis server's CPU (null without Redis: the single-replica deployment). */
  redisCpuPercentOfOneCore: number | null;
  generatorMessagesPerSecond: number;
  connectedAtEnd: number;
  dropped: number;
  dropReasons: Record<string, number>;
};

/** How long after the window the browsers may take to show the window's last probe changes. */
const GRACE_MS = 15_000;

/**
 * Drains the browsers until each shows, for every probe, the last change sent in the window or a newer
 * one (or `graceMs` passes), so a slow page counts as slow rather than as missing; returns everything seen.
 */
async function awaitConvergence(watchers: FleetWatcher[], sent: { name: string; seq: number }[], graceMs: number) {
  const last = new Map<string, number>();
  for (const p of sent) last.set(p.name, Math.max(p.seq, last.get(p.name) ?? 0));
  const seen = watchers.map(() => ({ probes: [] as Awaited<ReturnType<FleetWatcher["drain"]>>["probes"], ticks: [] as Awaited<ReturnType<FleetWatcher["drain"]>>["ticks"] }));
  const deadline = Date.now() + graceMs;
  for (;;) {
    await sleep(500);
    const batches = await Promise.all(watchers.map((w) => w.drain()));
    batches.forEach((b, i) => (seen[i]!.probes.push(...b.probes), seen[i]!.ticks.push(...b.ticks)));
    const caughtUp = seen.every((w) => [...last].every(([name, seq]) => w.probes.some((s) => s.name === name && s.seq >= seq)));
    if (caughtUp || Date.now() > deadline) return seen;
  }
}

/**
 * One steady phase over `seconds` with one browser per replica: every probe change sent in the
 * window is expected in EVERY browser (counted and timed per browser, split by whether the probe
 * agent sits on the browser's replica or another); per replica CPU and RSS (/proc) and the preloaded
 * probe's frame rate and loop delay; Redis CPU; agents dropped. `replicaOf` maps a probe agent's index to its replica.
 */
export async function measureReplicaPhase(opts: {
  label: string;
  seconds: number;
  servers: ServerProcess[];
  watchers: FleetWatcher[];
  fleets: SimFleet[];
  redisPid: number | null;
  agents: number;
  containers: number;
  replicaOf: (agentIndex: number) => number;
}): Promise<ReplicaPhaseResult> {
  const { servers, watchers, fleets } = opts;
  for (const w of watchers) await w.drain();
  const probesBefore = fleets.map((f) => f.probes.length);
  const droppedBefore = fleets.map((f) => f.dropped.length);
  const t0 = Date.now();
  const cpu0 = servers.map((s) => cpuSeconds(s.pid));
  const redis0 = opts.redisPid ? cpuSeconds(opts.redisPid) : 0;
  const maxRss = servers.map(() => 0);
  while (Date.now() - t0 < opts.seconds * 1000) {
    await sleep(1_000);
    servers.forEach((s, i) => (maxRss[i] = Math.max(maxRss[i]!, rssBytes(s.pid))));
  }
  const t1 = Date.now();
  const cpu1 = servers.map((s) => cpuSeconds(s.pid));
  const redis1 = opts.redisPid ? cpuSeconds(opts.redisPid) : 0;
  const secs = (t1 - t0) / 1000;
  const sent = fleets.flatMap((f, i) => f.probes.slice(probesBefore[i])).filter((p) => p.sentAt >= t0 && p.sentAt <= t1);
  const seen = await awaitConvergence(watchers, sent, GRACE_MS);
  const origin = (name: string) => opts.replicaOf(Number(name.slice("bench-probe-".length)));

  const browsers = seen.map((w, replica): BrowserResult => {
    const at = new Map(w.probes.map((s) => [`${s.name}#${s.seq}`, s.at]));
    const newest = new Map<string, number>();
    for (const s of w.probes) newest.set(s.name, Math.max(s.seq, newest.get(s.name) ?? 0));
    const delivery = (probes: typeof sent): Delivery => {
      const lat: number[] = [];
      let superseded = 0;
      for (const p of probes) {
        const s = at.get(`${p.name}#${p.seq}`);
        if (s !== undefined) lat.push(s - p.sentAt);
        else if ((newest.get(p.name) ?? 0) > p.seq) superseded++;
      }
      return { expected: probes.length, delivered: lat.length, superseded, lost: probes.length - lat.length - superseded, latencyMs: pcts(lat) };
    };
    const ticks = w.ticks.filter((t) => t.t >= t0 && t.t <= t1);
    return {
      replica,
      all: delivery(sent),
      sameReplica: delivery(sent.filter((p) => origin(p.name) === replica)),
      otherReplica: delivery(sent.filter((p) => origin(p.name) !== replica)),
      ticksPerSecond: Math.round(ticks.length / secs),
      tickToBrowserMs: pcts(ticks.map((t) => t.at - t.t)),
    };
  });

  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : NaN);
  const serverResults = servers.map((s, replica): ServerResult => {
    const probe = readProbe(s.probeFile, t0, t1);
    return {
      replica,
      cpuPercentOfOneCore: Math.round(((cpu1[replica]! - cpu0[replica]!) / secs) * 1000) / 10,
      rssMiB: { end: Math.round(rssBytes(s.pid) / 2 ** 20), max: Math.round(Math.max(maxRss[replica]!, rssBytes(s.pid)) / 2 ** 20) },
      framesPerSecond: Math.round(probe.reduce((a, p) => a + p.frames, 0) / Math.max(1, probe.length)),
      loopDelayMs: { p99Mean: mean(probe.map((p) => p.loopP99Ms)), max: Math.max(0, ...probe.map((p) => p.loopMaxMs)) },
    };
  });
  const drops = fleets.flatMap((f, i) => f.dropped.slice(droppedBefore[i]));
  const perSecond = fleets.flatMap((f) => f.perSecond.filter((s) => s.at >= t0 && s.at <= t1));
  return {
    label: opts.label,
    replicas: servers.length,
    agents: opts.agents,
    containers: opts.containers,
    seconds: Math.round(secs),
    browsers,
    servers: serverResults,
    redisCpuPercentOfOneCore: opts.redisPid ? Math.round(((redis1 - redis0) / secs) * 1000) / 10 : null,
    generatorMessagesPerSecond: Math.round(perSecond.reduce((a, s) => a + s.sent, 0) / secs),
    connectedAtEnd: fleets.reduce((a, f) => a + f.connected, 0),
    dropped: drops.length,
    dropReasons: drops.reduce<Record<string, number>>((acc, d) => ((acc[d.reason] = (acc[d.reason] ?? 0) + 1), acc), {}),
  };
}

const lat = (d: Delivery) => (d.expected ? `${d.delivered}/${d.expected} (${d.superseded}s ${d.lost}l) · ${d.latencyMs.p50}/${d.latencyMs.p95}/${d.latencyMs.p99}` : "-");

/** "delivered/expected (superseded s, lost l) · latency p50/p95/p99 ms" per origin group. */
export const BROWSER_HEADER = ["phase", "browser on", "all probes: shown/sent (s l) · p50/p95/p99 ms", "from same replica", "from other replica", "ticks/s", "tick→browser p50/p99"];
export function browserRows(r: ReplicaPhaseResult): (string | number)[][] {
  return r.browsers.map((b) => [r.label, `replica ${b.replica + 1}`, lat(b.all), lat(b.sameReplica), r.replicas > 1 ? lat(b.otherReplica) : "n/a", String(b.ticksPerSecond), `${b.tickToBrowserMs.p50}/${b.tickToBrowserMs.p99}`]);
}

export const SERVER_HEADER = ["phase", "process", "agents×ctrs", "CPU (% of one core)", "RSS MiB end (max)", "frames/s", "loop p99/max ms", "connected", "dropped"];
export function serverRows(r: ReplicaPhaseResult): (string | number)[][] {
  const rows: (string | number)[][] = r.servers.map((s) => [r.label, `replica ${s.replica + 1}`, `${r.agents}×${r.containers}`, `${s.cpuPercentOfOneCore}%`, `${s.rssMiB.end} (${s.rssMiB.max})`, String(s.framesPerSecond), `${s.loopDelayMs.p99Mean}/${s.loopDelayMs.max}`, String(r.connectedAtEnd), String(r.dropped)]);
  if (r.redisCpuPercentOfOneCore !== null) rows.push([r.label, "redis", "", `${r.redisCpuPercentOfOneCore}%`, "", "", "", "", ""]);
  return rows;
}

/** Every probe change reached every browser (drawn, or overtaken by a newer one of the same probe), and no agent dropped. */
export function allDelivered(r: ReplicaPhaseResult): boolean {
  return r.dropped === 0 && r.browsers.every((b) => b.all.expected > 0 && b.all.lost === 0);
}

/** Every probe change drawn in every browser, none overtaken. */
export function allDrawn(r: ReplicaPhaseResult): boolean {
  return r.browsers.every((b) => b.all.expected > 0 && b.all.delivered === b.all.expected);
}
