// `fleet-scale --replicas 2`: the same fleet split across two production server processes that share
// one database, one data dir (server key, auth secret) and a Redis bus, with a signed-in Chromium on
// EACH replica's fleet page. Every probe change (one probe agent per replica) must reach BOTH
// browsers. The single-replica baseline at the same N (no Redis, the default deployment) is measured
// first in the same run, on a fresh database of its own.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Cleanup, intFlag } from "./benchmark";
import { freshDatabase } from "./bench-database";
import { startRedis } from "./bench-redis";
import { watchFleet, type FleetWatcher } from "./browser-watch";
import { describeMachine, machineInfo, writeResults } from "./machine";
import { findPids, parentOf } from "./process-cpu";
import { createEnrollmentTokens, prioritise, signIn, snapshotBuild, startServer, type ServerProcess } from "./prod-server";
import { allDelivered, allDrawn, BROWSER_HEADER, browserRows, measureReplicaPhase, SERVER_HEADER, serverRows, type ReplicaPhaseResult } from "./replica-measure";
import { SimFleet } from "./sim-fleet";
import { table } from "./stats";

/** Two cores shared by every replica, the generator and the browsers: nothing is pinned to one core. */
const CORES = "0,1";

type Settings = { root: string; dir: string; agents: number; containers: number; seconds: number; probes: number; workers: number; changeEverySeconds: number };

/** One whole stack (database, Redis when replicated, servers, fleet, browsers), measured once and torn down. */
async function measureStack(s: Settings, replicas: number, outer: Cleanup): Promise<{ result: ReplicaPhaseResult; database: string; errors: string[] }> {
  const cleanup = new Cleanup();
  outer.add(`${replicas}-replica stack`, () => cleanup.runAll()); // an interrupted run still tears it down
  const label = replicas === 1 ? "1 replica (baseline)" : `${replicas} replicas`;
  try {
    const dir = path.join(s.dir, `${replicas}-replica`);
    fs.mkdirSync(dir, { recursive: true });
    const db = await freshDatabase(dir, "portolan", cleanup);
    const redis = replicas > 1 ? await startRedis(dir, cleanup) : null;
    const env: Record<string, string> = { DATABASE_URL: db.url, ...(redis ? { REDIS_URL: redis.url } : {}) };
    // One after the other: the first migrates the database and writes the shared key and secret.
    const servers: ServerProcess[] = [];
    for (let i = 0; i < replicas; i++) servers.push(await startServer({ root: s.root, dir, core: CORES, name: `replica-${i + 1}`, env, cleanup }));
    console.log(`${label}: ${db.provider} database, ${redis ? `redis ${redis.url}, ` : ""}servers ${servers.map((x) => x.url).join(" ")}`);
    const cookies = await Promise.all(servers.map((x) => signIn(x.url)));
    const names = Array.from({ length: s.agents }, (_, i) => `sim-${String(i).padStart(5, "0")}`);
    const tokens = await createEnrollmentTokens(servers[0]!.url, cookies[0]!, names);
    // Agent i dials replica i % replicas, as a balancer would spread them; probe agents 0..probes-1 alternate too.
    const fleet = SimFleet.start({ urls: servers.map((x) => x.url), tokens, firstIndex: 0, containers: s.containers, probes: s.probes, workers: s.workers, core: CORES, changeEverySeconds: s.changeEverySeconds, rampMs: s.agents * 10, cleanup });
    console.log(`${label}: ${s.agents} agents connected in ${await fleet.waitConnected(s.agents, 300_000, label)} ms`);
    const watchers: FleetWatcher[] = [];
    for (let i = 0; i < replicas; i++) watchers.push(await watchFleet({ url: servers[i]!.url, cookie: cookies[i]!, query: "bench-probe", cleanup }));
    for (const pid of findPids((p) => /chromium/.test(p.cmdline.split(" ")[0] ?? "") && parentOf(p.pid) === process.pid)) prioritise(pid);
    await new Promise((r) => setTimeout(r, 5_000)); // the pages have loaded and settled
    const result = await measureReplicaPhase({ label, seconds: s.seconds, servers, watchers, fleets: [fleet], redisPid: redis?.pid ?? null, agents: s.agents, containers: s.containers, replicaOf: (i) => i % replicas });
    for (const [i, w] of watchers.entries()) await w.page.screenshot({ path: path.join(dir, `fleet-replica-${i + 1}.png`) });
    console.log(table(BROWSER_HEADER, browserRows(result)));
    console.log(table(SERVER_HEADER, serverRows(result)));
    const errors = fleet.errors.slice(0, 20);
    for (const w of watchers) await w.close();
    await fleet.stop();
    return { result, database: db.provider, errors };
  } finally {
    await cleanup.runAll();
  }
}

export async function runReplicaBenchmark({ argv, cleanup, replicas }: { argv: string[]; cleanup: Cleanup; replicas: number }): Promise<void> {
  const probes = intFlag(argv, "probes", replicas);
  if (probes < replicas) throw new Error(`--probes must be at least --replicas (one probe agent per replica), got ${probes}`);
  const settings = {
    agents: intFlag(argv, "agents", 400),
    containers: intFlag(argv, "containers", 20),
    seconds: intFlag(argv, "seconds", 60),
    probes,
    workers: intFlag(argv, "workers", 2),
    changeEverySeconds: intFlag(argv, "change-every", 300),
  };
  const baseline = !argv.includes("--no-baseline");
  execFileSync("taskset", ["-a", "-p", "-c", CORES, String(process.pid)], { stdio: "ignore" });
  os.setPriority(process.pid, -10);
  prioritise(process.pid);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-fleet-replicas-"));
  if (!argv.includes("--keep")) cleanup.add("bench folder", () => fs.rmSync(dir, { recursive: true, force: true }));
  const machine = await machineInfo();
  console.log(`machine: ${describeMachine(machine)}`);
  console.log(`folder: ${dir}; ${replicas} replicas, generator (${settings.workers} workers) and ${replicas} Chromiums all share cores ${CORES}`);
  const s: Settings = { ...settings, root: snapshotBuild(dir, argv.includes("--build")), dir };

  const runs = [];
  if (baseline) runs.push(await measureStack(s, 1, cleanup));
  runs.push(await measureStack(s, replicas, cleanup));

  console.log("");
  const results = runs.map((r) => r.result);
  console.log(table(BROWSER_HEADER, results.flatMap(browserRows)));
  console.log(table(SERVER_HEADER, results.flatMap(serverRows)));
  const replicated = results.at(-1)!;
  const p99 = Math.max(...replicated.browsers.map((b) => b.all.latencyMs.p99));
  console.log(`(s = superseded: a newer change of the same probe reached the page in the same refetch; l = lost: nothing newer shown either)`);
  console.log(`targets (${replicated.label}, ${replicated.agents}×${replicated.containers}): every update delivered to every browser (none lost), no agent dropped → ${allDelivered(replicated) ? "met" : "NOT met"}${allDrawn(replicated) ? "" : " (some superseded)"}; UI p99 < 250 ms on every browser → ${p99 < 250 ? "met" : "NOT met"} (worst ${p99} ms)`);
  const errors = runs.flatMap((r) => r.errors);
  if (errors.length) console.log(`generator errors (first ${errors.length}):\n  ${errors.join("\n  ")}`);
  const file = writeResults("fleet-scale-replicas", { machine, cores: CORES, database: runs[0]!.database, ...settings, replicas, results, errors });
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}
