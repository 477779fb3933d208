// One production server process on one core under N simulated agents × M containers at 1 Hz
// metrics, with a real Chromium watching the fleet page; then (optionally) a reconnect storm.
// `npm run bench -- --only fleet-scale [--agents 2000] [--containers 20] [--seconds 30]
//   [--baseline-agents 200] [--storm sigterm,sigkill|none] [--build] [--cpu-prof] [--keep]
//   [--server-flags "--trace-gc …"] [--page-prof]`
// --page-prof: a CPU profile of the fleet page during each phase (page-<phase>.cpuprofile, kept with --keep).
// `--replicas 2 [--agents 400] [--seconds 60] [--no-baseline]`: two replicas over Redis instead, a
// browser on each (bench/support/sim-fleet-replicas.ts).
//
// UI update latency, defined: a probe agent changes its probe container's status text to
// "probe <seq>" and stamps Date.now() as it emits the container:change; the latency is the moment
// (same wall clock) a MutationObserver in the fleet page first finds that text in the table's DOM.
// It covers the whole path: agent → server (registry, coalesced fleet:changed nudge) → browser
// (refetch of containers.list over tRPC, React render). The page is filtered to the probe rows
// (search "bench-probe") but fetches the whole fleet's container list on every nudge, as it does
// for anyone. The baseline is the same server, browser and measurements with fewer agents, first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { intFlag, stringFlag, type Benchmark } from "./support/benchmark";
import { watchFleet } from "./support/browser-watch";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { createEnrollmentTokens, prioritise, signIn, snapshotBuild, startServer, stopServer } from "./support/prod-server";
import { SimFleet } from "./support/sim-fleet";
import { runReplicaBenchmark } from "./support/sim-fleet-replicas";
import { measurePhase, phaseRow, PHASE_HEADER, type PhaseResult } from "./support/sim-fleet-measure";
import { reconnectStorm, STORM_HEADER, stormRow, type StormKind, type StormResult } from "./support/sim-fleet-storm";
import { findPids, parentOf } from "./support/process-cpu";
import { table } from "./support/stats";

const SERVER_CORE = "0";
const GENERATOR_CORE = 1;

export const benchmark: Benchmark = {
  name: "fleet-scale",
  description: "N simulated agents × M containers at 1 Hz against one production server on one core, a browser on the fleet page; reconnect storm",
  async run({ argv, cleanup }) {
    const replicas = intFlag(argv, "replicas", 1);
    if (replicas > 1) return runReplicaBenchmark({ argv, cleanup, replicas });
    const agents = intFlag(argv, "agents", 2000);
    const containers = intFlag(argv, "containers", 20);
    const seconds = intFlag(argv, "seconds", 30);
    const baselineAgents = Math.min(agents, intFlag(argv, "baseline-agents", 200));
    const probes = Math.min(baselineAgents, intFlag(argv, "probes", 10));
    const workers = intFlag(argv, "workers", 2);
    const changeEvery = intFlag(argv, "change-every", 300);
    const storms = stringFlag(argv, "storm", "sigterm,sigkill").split(",").filter((s) => s && s !== "none") as StormKind[];
    const build = argv.includes("--build");
    const keep = argv.includes("--keep");
    const nodeFlags = stringFlag(argv, "server-flags", "").split(" ").filter(Boolean);

    // The benchmark, its generator workers and Chromium on one core; the server alone on the other.
    execFileSync("taskset", ["-a", "-p", "-c", String(GENERATOR_CORE), String(process.pid)], { stdio: "ignore" });
    // The machine is shared: raise our priority (inherited by the workers and Chromium) over neighbours'.
    os.setPriority(process.pid, -10);
    prioritise(process.pid);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-fleet-scale-"));
    if (!keep) cleanup.add("bench folder", () => fs.rmSync(dir, { recursive: true, force: true }));
    const machine = await machineInfo();
    console.log(`machine: ${describeMachine(machine)}`);
    console.log(`folder: ${dir}; server on core ${SERVER_CORE}, generator (${workers} workers) + Chromium on core ${GENERATOR_CORE}`);

    const root = snapshotBuild(dir, build);
    const cpuProfDir = argv.includes("--cpu-prof") ? path.join(dir, "cpu-prof") : undefined;
    let server = await startServer({ root, dir, core: SERVER_CORE, cpuProfDir, nodeFlags, cleanup });
    const cookie = await signIn(server.url);
    const names = Array.from({ length: agents }, (_, i) => `sim-${String(i).padStart(5, "0")}`);
    const t = Date.now();
    const tokens = await createEnrollmentTokens(server.url, cookie, names);
    console.log(`${tokens.length} enrollment tokens via hosts.createEnrollment in ${Date.now() - t} ms`);

    const common = { urls: [server.url], containers, core: GENERATOR_CORE, changeEverySeconds: changeEvery, cleanup };
    // The probe agents in a process of their own: what is timed is their change's way through the server
    // to the page, not a wait behind the generator's other agents (each real host sends on its own).
    const probeFleet = SimFleet.start({ ...common, tokens: tokens.slice(0, probes), firstIndex: 0, probes, workers: 1, rampMs: probes * 10 });
    const first = SimFleet.start({ ...common, tokens: tokens.slice(probes, baselineAgents), firstIndex: probes, probes: 0, workers: 1, rampMs: baselineAgents * 10, niceness: 10 });
    const fleets = [probeFleet, first];
    const baselineMs = Math.max(await probeFleet.waitConnected(probes, 120_000, "probes"), await first.waitConnected(baselineAgents - probes, 120_000, "baseline"));
    console.log(`baseline: ${baselineAgents} agents connected in ${baselineMs} ms`);
    // --no-browser: the same load without the fleet page (what the agents alone cost the server).
    const watcher = argv.includes("--no-browser") ? null : await watchFleet({ url: server.url, cookie, query: "bench-probe", cleanup });
    for (const pid of findPids((p) => /chromium/.test(p.cmdline.split(" ")[0] ?? "") && parentOf(p.pid) === process.pid)) prioritise(pid);
    const watchers = watcher ? [watcher] : [];
    await new Promise((r) => setTimeout(r, 5_000)); // the page has loaded and settled

    const phases: PhaseResult[] = [];
    const pageProfiler = watcher && argv.includes("--page-prof") ? await watcher.page.context().newCDPSession(watcher.page) : null;
    await pageProfiler?.send("Profiler.enable");
    const phase = async (label: string, n: number) => {
      await pageProfiler?.send("Profiler.start");
      const r = await measurePhase({ label, seconds, server, fleets, watchers, agents: n, containers });
      if (pageProfiler) fs.writeFileSync(path.join(dir, `page-${label}.cpuprofile`), JSON.stringify((await pageProfiler.send("Profiler.stop")).profile));
      phases.push(r);
      await watcher?.page.screenshot({ path: path.join(dir, `fleet-${label}.png`) });
      console.log(table(PHASE_HEADER, [phaseRow(r)]));
      return r;
    };
    await phase("baseline", baselineAgents);

    if (agents > baselineAgents) {
      // Like the baseline's other agents, the 1,800 more stand in for hosts of their own: on this shared
      // core they must not hold up the probe agents' sends or the browser's rendering, which is what is timed.
      const rest = SimFleet.start({ ...common, tokens: tokens.slice(baselineAgents), firstIndex: baselineAgents, probes: 0, workers, rampMs: (agents - baselineAgents) * 10, niceness: 10 });
      fleets.push(rest);
      const ms = await rest.waitConnected(agents - baselineAgents, 300_000, "full fleet");
      console.log(`full: ${agents} agents connected (${agents - baselineAgents} enrolled in ${ms} ms)`);
      await new Promise((r) => setTimeout(r, 5_000));
      await phase("full", agents);
    }

    const stormResults: StormResult[] = [];
    for (const kind of storms) {
      const r = await reconnectStorm({ kind, server, fleets, cookie, agents, startAgain: () => startServer({ root, dir, core: SERVER_CORE, port: server.port, name: `server-after-${kind}`, nodeFlags, cleanup }) });
      server = r.server;
      stormResults.push(r.result);
      console.log(table(STORM_HEADER, [stormRow(r.result)]));
    }

    console.log("");
    console.log(table(PHASE_HEADER, phases.map(phaseRow)));
    if (stormResults.length) console.log(table(STORM_HEADER, stormResults.map(stormRow)));
    const full = phases.at(-1)!;
    if (!watcher) console.log("no browser (--no-browser): UI latency not measured");
    console.log(`targets (${full.label}): UI p99 < 250 ms → ${full.uiLatencyMs.p99 < 250 ? "met" : "NOT met"}; dropped 0 → ${full.dropped === 0 ? "met" : "NOT met"}${stormResults.map((s) => `; ${s.kind}: all resynced < 60 s → ${s.allResyncedMs < 60_000 ? "met" : "NOT met"}, offline shown → ${s.maxOfflineShown}`).join("")}`);
    const errors = fleets.flatMap((f) => f.errors).slice(0, 20);
    if (errors.length) console.log(`generator errors (first ${errors.length}):\n  ${errors.join("\n  ")}`);
    if (cpuProfDir) console.log(`CPU profiles (written when each server exits): ${cpuProfDir}`);
    const file = writeResults("fleet-scale", { machine, browser: Boolean(watcher), agents, containers, seconds, baselineAgents, probes, workers, changeEverySeconds: changeEvery, phases, storms: stormResults, sent: fleets.map((f) => f.sent), errors });
    console.log(`results: ${path.relative(process.cwd(), file)}`);
    await watcher?.close();
    if (cpuProfDir) await stopServer(server);
    await Promise.all(fleets.map((f) => f.stop()));
  },
};
