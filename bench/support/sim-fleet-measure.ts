import type { FleetWatcher } from "./browser-watch";
import { readProbe, readProbeChanges, type ServerProcess } from "./prod-server";
import { cpuSeconds, rssBytes } from "./process-cpu";
import type { SimFleet } from "./sim-fleet";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Pcts = { n: number; p50: number; p95: number; p99: number; max: number };

/** Nearest-rank percentiles (every reported number is one that was measured). */
export function pcts(samples: number[]): Pcts {
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(rank(50)), p95: r(rank(95)), p99: r(rank(99)), max: r(s.at(-1) ?? NaN) };
}

export type PhaseResult = {
  label: string;
  agents: number;
  containers: number;
  seconds: number;
  /** Probe change sent by a simulated agent (its Date.now()) → the browser's DOM shows the new status text. */
  uiLatencyMs: Pcts;
  /** The same, split where the "fleet:changed" frame with the change reached the page: the way there, and the page's own part. */
  uiSplitMs: { toPage: Pcts; inPage: Pcts };
  /**
   * The way to the page, split by the server's probe (bench/support/server-probe.mjs): agent send →
   * the server reads the change's frame, → the server writes the "fleet:changed" frame, → the page gets it.
   */
  serverSplitMs: { toServer: Pcts; inServer: Pcts; fromServer: Pcts };
  probesSent: number;
  probesMissed: number;
  /** metrics:tick: the agent's tick time `t` → the frame arriving on the browser's websocket. */
  tickToBrowserMs: Pcts;
  /** The page's main thread: long tasks (over 50 ms), their share of the phase, and the longest. */
  browserLongTasks: { count: number; busyPercent: number; maxMs: number };
  serverCpuPercentOfOneCore: number;
  serverRssMiB: { end: number; max: number };
  serverFramesPerSecond: number;
  generatorMessagesPerSecond: number;
  serverLoopDelayMs: { p99Mean: number; p99Max: number; max: number };
  generatorLoopP99MaxMs: number;
  connectedAtEnd: number;
  dropped: number;
  dropReasons: Record<string, number>;
};

/**
 * Measures one steady phase of `seconds`: browser-side latencies of what the agents sent in the
 * window, the server's CPU and RSS (from /proc) and its event-loop delay and websocket frame rate
 * (from the preloaded probe), the generator's send rate, and agents dropped.
 */
export async function measurePhase(opts: {
  label: string;
  seconds: number;
  server: ServerProcess;
  fleets: SimFleet[];
  watchers: FleetWatcher[];
  agents: number;
  containers: number;
}): Promise<PhaseResult> {
  const { server, fleets, watchers } = opts;
  for (const w of watchers) await w.drain();
  const probesBefore = fleets.map((f) => f.probes.length);
  const droppedBefore = fleets.map((f) => f.dropped.length);
  const t0 = Date.now();
  const cpu0 = cpuSeconds(server.pid);
  let maxRss = 0;
  while (Date.now() - t0 < opts.seconds * 1000) {
    await sleep(1_000);
    maxRss = Math.max(maxRss, rssBytes(server.pid));
  }
  const t1 = Date.now();
  const cpu1 = cpuSeconds(server.pid);
  await sleep(2_000); // late sightings of changes sent just before t1 still count
  const seen = (await Promise.all(watchers.map((w) => w.drain()))).map((d) => d);
  const sent = fleets.flatMap((f, i) => f.probes.slice(probesBefore[i])).filter((p) => p.sentAt >= t0 && p.sentAt <= t1);
  const latencies: number[] = [];
  const toPage: number[] = [];
  const inPage: number[] = [];
  let missed = 0;
  const serverSeen = readProbeChanges(server.probeFile);
  const toServer: number[] = [];
  const inServer: number[] = [];
  const fromServer: number[] = [];
  for (const w of seen) {
    const at = new Map(w.probes.map((s) => [`${s.name}#${s.seq}`, s.at]));
    const arrived = new Map<string, number>();
    for (const a of w.arrivals) if (!arrived.has(`${a.name}#${a.seq}`)) arrived.set(`${a.name}#${a.seq}`, a.at);
    for (const p of sent) {
      const key = `${p.name}#${p.seq}`;
      const s = at.get(key);
      if (s === undefined) {
        missed++;
        continue;
      }
      latencies.push(s - p.sentAt);
      const a = arrived.get(key);
      // Changes the page read back over tRPC instead (a refresh was under way) have no arrival.
      if (a !== undefined) toPage.push(a - p.sentAt), inPage.push(s - a);
      const [came, went] = [serverSeen.in.get(key), serverSeen.out.get(key)];
      if (a !== undefined && came !== undefined && went !== undefined) toServer.push(came - p.sentAt), inServer.push(went - came), fromServer.push(a - went);
    }
  }
  const longTasks = seen.flatMap((w) => w.longTasks);
  const ticks = seen.flatMap((w) => w.ticks).filter((t) => t.t >= t0 && t.t <= t1).map((t) => t.at - t.t);
  const probe = readProbe(server.probeFile, t0, t1);
  const drops = fleets.flatMap((f, i) => f.dropped.slice(droppedBefore[i]));
  const perSecond = fleets.flatMap((f) => f.perSecond.filter((s) => s.at >= t0 && s.at <= t1));
  const secs = (t1 - t0) / 1000;
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : NaN);
  return {
    label: opts.label,
    agents: opts.agents,
    containers: opts.containers,
    seconds: Math.round(secs),
    uiLatencyMs: pcts(latencies),
    uiSplitMs: { toPage: pcts(toPage), inPage: pcts(inPage) },
    serverSplitMs: { toServer: pcts(toServer), inServer: pcts(inServer), fromServer: pcts(fromServer) },
    probesSent: sent.length * seen.length,
    probesMissed: missed,
    tickToBrowserMs: pcts(ticks),
    browserLongTasks: { count: longTasks.length, busyPercent: Math.round((longTasks.reduce((a, b) => a + b, 0) / Math.max(1, seen.length) / (secs * 1000)) * 1000) / 10, maxMs: Math.round(Math.max(0, ...longTasks)) },
    serverCpuPercentOfOneCore: Math.round(((cpu1 - cpu0) / secs) * 1000) / 10,
    serverRssMiB: { end: Math.round(rssBytes(server.pid) / 2 ** 20), max: Math.round(maxRss / 2 ** 20) },
    serverFramesPerSecond: Math.round(probe.reduce((a, p) => a + p.frames, 0) / Math.max(1, probe.length)),
    generatorMessagesPerSecond: Math.round(perSecond.reduce((a, s) => a + s.sent, 0) / secs),
    serverLoopDelayMs: { p99Mean: mean(probe.map((p) => p.loopP99Ms)), p99Max: Math.max(...probe.map((p) => p.loopP99Ms)), max: Math.max(...probe.map((p) => p.loopMaxMs)) },
    generatorLoopP99MaxMs: Math.round(Math.max(0, ...perSecond.map((s) => s.loopP99Ms))),
    connectedAtEnd: fleets.reduce((a, f) => a + f.connected, 0),
    dropped: drops.length,
    dropReasons: drops.reduce<Record<string, number>>((acc, d) => ((acc[d.reason] = (acc[d.reason] ?? 0) + 1), acc), {}),
  };
}

export function phaseRow(r: PhaseResult): (string | number)[] {
  const l = r.uiLatencyMs;
  return [
    r.label, `${r.agents}×${r.containers}`, `${l.p50}/${l.p95}/${l.p99}`, `${r.uiSplitMs.toPage.p99}/${r.uiSplitMs.inPage.p99} (${r.uiSplitMs.toPage.n})`, `${r.serverSplitMs.toServer.p99}/${r.serverSplitMs.inServer.p99}/${r.serverSplitMs.fromServer.p99}`, `${r.probesMissed}/${r.probesSent}`, `${r.tickToBrowserMs.p50}/${r.tickToBrowserMs.p99}`, `${r.browserLongTasks.count} (${r.browserLongTasks.busyPercent}%, max ${r.browserLongTasks.maxMs})`,
    `${r.serverCpuPercentOfOneCore}%`, `${r.serverRssMiB.end} (max ${r.serverRssMiB.max})`, String(r.serverFramesPerSecond), `${r.serverLoopDelayMs.p99Mean}/${r.serverLoopDelayMs.max}`,
    `${r.connectedAtEnd}`, String(r.dropped),
  ];
}

export const PHASE_HEADER = ["phase", "agents×ctrs", "UI p50/p95/p99 ms", "p99 to/in page (n)", "p99 to/in/from server", "missed", "tick→browser p50/p99", "page long tasks", "server CPU", "RSS MiB", "frames/s", "loop p99/max ms", "connected", "dropped"];
