import { execFile } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import type { HostRegistry } from "../server/realtime/host-registry";
import { docker } from "../test/support/docker-cli";
import { waitFor } from "../test/support/test-services";
import { intFlag, stringFlag, type Benchmark, type BenchContext, type Cleanup } from "./support/benchmark";
import { LiveObserver } from "./support/live-observer";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { startPortolanStack, type AgentMode, type PortolanStack } from "./support/portolan-stack";
import { summarize, table, type Summary } from "./support/stats";

const IMAGE = "local/busybox:latest";
// PID 1 traps TERM and `wait` returns at once, so a stop measures our path, not Docker's 10 s grace.
const WORKLOAD = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];
const ACTIONS = [
  { action: "stop", before: "running", after: "exited" },
  { action: "start", before: "exited", after: "running" },
] as const;
const OP_TIMEOUT_MS = 10_000;
/** Before each measured action: no inventory change for this long, and the nudge for the last one delivered. */
const QUIET_MS = 100;
const QUIET_CAP_MS = 2_000;

type Action = (typeof ACTIONS)[number];
type Path = "portolan" | "cli";
/** Milliseconds from the click (or the CLI call) to each point; `total` is the headline number. */
type Sample = { round: number; container: number; path: Path; action: Action["action"]; total: number; marks: Record<string, number> };

export const benchmark: Benchmark = {
  name: "container-actions",
  description: "click-to-state-visible latency of stop/start through Portolan vs `docker stop`/`docker start`",
  run,
};

async function run({ argv, cleanup }: BenchContext): Promise<void> {
  const opts = {
    containers: intFlag(argv, "containers", 5),
    rounds: intFlag(argv, "rounds", 10),
    agent: stringFlag(argv, "agent", "auto") as AgentMode,
    network: stringFlag(argv, "network", "none"),
    dockerHost: process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock",
  };
  if (!["auto", "tsx", "bundle"].includes(opts.agent)) throw new Error("--agent must be auto, tsx or bundle");
  const startedAt = new Date();
  const t0 = performance.now();
  await ensureImage(opts.dockerHost);
  const machine = await machineInfo(opts.dockerHost);
  const stack = await startPortolanStack({ cleanup, dockerHost: opts.dockerHost, agent: opts.agent });
  const ids = await createContainers(opts, cleanup);
  const registry = stack.services.registry;
  await waitFor(() => ids.every((id) => registry.get(stack.hostId)?.containers.get(id)?.state === "running"), "the agent to report the bench containers", 15_000);
  const observer = await LiveObserver.connect({ url: stack.server.url, cookie: stack.cookie, list: () => stack.caller.containers.list({}) });
  cleanup.add("live observer", () => observer.close());
  const quiet = quietTracker(registry, stack.hostId, observer);
  cleanup.add("quiet tracker", quiet.stop);
  const setupMs = performance.now() - t0;

  const samples: Sample[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    // Alternate which path goes first each round, so warm caches and drift favour neither.
    const order: Path[] = round % 2 === 0 ? ["portolan", "cli"] : ["cli", "portolan"];
    for (const [container, id] of ids.entries()) {
      for (const p of order) {
        for (const a of ACTIONS) {
          await quiet.settle(id, a.before);
          const marks = p === "portolan" ? await viaPortolan(stack, observer, id, a) : await viaCli(opts.dockerHost, registry, stack.hostId, id, a);
          samples.push({ round, container, path: p, action: a.action, total: tenth(marks.total!), marks: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, tenth(v)])) });
        }
      }
    }
  }

  const summary = summarizeSamples(samples);
  const totalMs = performance.now() - t0;
  print({ opts, machine: describeMachine(machine), agentMode: stack.agent.mode, summary, setupMs, totalMs, nudges: observer.nudges, settleMs: quiet.settledMs });
  const file = writeResults("container-actions", { benchmark: benchmark.name, startedAt, options: opts, agent: stack.agent.mode, machine, setupMs, totalMs, summary, samples });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

/** Click → containers.action (the mutation the row's button sends) → the state shows in the watching tab. */
async function viaPortolan(stack: PortolanStack, observer: LiveObserver, id: string, a: Action): Promise<Record<string, number>> {
  const start = performance.now();
  const inRegistry = registryShows(stack.services.registry, stack.hostId, id, a.after);
  const watching = observer.until(id, a.after, start, OP_TIMEOUT_MS);
  const reply = await stack.caller.containers.action({ hostId: stack.hostId, containerId: id, action: a.action });
  const replied = performance.now();
  if (!reply.ok) throw new Error(`Portolan ${a.action} ${id.slice(0, 12)}: ${reply.status} ${reply.error.code}: ${reply.error.message}`);
  // The acting tab refetches the list when the mutation succeeds (container-actions.tsx onSuccess).
  const list = await stack.caller.containers.list({});
  const actingTab = list.find((c) => c.id === id)?.state === a.after ? performance.now() : NaN;
  const [seen, registryAt] = await Promise.all([watching, inRegistry]);
  return {
    total: seen.visibleAt - start,
    registry: registryAt - start,
    reply: replied - start,
    actingTab: actingTab - start,
    nudge: seen.nudgeAt - start,
  };
}

/** `docker stop|start <id>`, then `docker inspect` until the engine reports the state. */
async function viaCli(dockerHost: string, registry: HostRegistry, hostId: string, id: string, a: Action): Promise<Record<string, number>> {
  const start = performance.now();
  const inRegistry = registryShows(registry, hostId, id, a.after);
  await docker([a.action, id], dockerHost);
  const returned = performance.now();
  await waitFor(async () => (await docker(["inspect", "--format", "{{.State.Status}}", id], dockerHost)) === a.after, `docker inspect to show ${a.after}`, OP_TIMEOUT_MS);
  const end = performance.now();
  // When Portolan's server learnt of a change made behind its back (its watchers' view, for reference).
  const registryAt = await inRegistry;
  return { total: end - start, command: returned - start, registry: registryAt - start };
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;

function registryShows(registry: HostRegistry, hostId: string, id: string, state: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onChange = (changed: string) => changed === hostId && registry.get(hostId)?.containers.get(id)?.state === state && done(performance.now());
    const timer = setTimeout(() => done(NaN), OP_TIMEOUT_MS);
    function done(at: number) {
      clearTimeout(timer);
      registry.off("changed", onChange);
      if (Number.isNaN(at)) reject(new Error(`the server's inventory did not show ${id.slice(0, 12)} as ${state} within ${OP_TIMEOUT_MS} ms`));
      else resolve(at);
    }
    registry.on("changed", onChange);
  });
}

/**
 * Waits, before each measured action, until the container shows its starting state in the server's
 * inventory, the last inventory change is QUIET_MS old and its nudge has gone out, so trailing events
 * and nudges of the previous action do not land in the next measurement.
 */
function quietTracker(registry: HostRegistry, hostId: string, observer: LiveObserver) {
  let lastChange = performance.now();
  let settledMs = 0;
  const onChange = (changed: string) => changed === hostId && (lastChange = performance.now());
  registry.on("changed", onChange);
  return {
    get settledMs() {
      return Math.round(settledMs);
    },
    stop: () => void registry.off("changed", onChange),
    async settle(id: string, state: string) {
      const start = performance.now();
      const ready = () => {
        const now = performance.now();
        return registry.get(hostId)?.containers.get(id)?.state === state && now - lastChange >= QUIET_MS && observer.lastNudgeAt >= lastChange;
      };
      while (!ready() && performance.now() - start < QUIET_CAP_MS) await new Promise((r) => setTimeout(r, 10));
      if (registry.get(hostId)?.containers.get(id)?.state !== state) throw new Error(`${id.slice(0, 12)} is not ${state} before the next action`);
      settledMs += performance.now() - start;
    },
  };
}

async function ensureImage(dockerHost: string): Promise<void> {
  if (await docker(["image", "inspect", IMAGE], dockerHost).then(() => true, () => false)) return;
  console.log(`${IMAGE} missing: importing it (scripts/import-busybox.sh)`);
  await promisify(execFile)("bash", ["scripts/import-busybox.sh"], { env: { ...process.env, DOCKER_HOST: dockerHost } });
}

async function createContainers(opts: { containers: number; network: string; dockerHost: string }, cleanup: Cleanup): Promise<string[]> {
  const prefix = `portolan-bench-${process.pid}-`;
  cleanup.add("bench containers", async () => {
    const ids = (await docker(["ps", "-aq", "--filter", "label=portolan.bench=1", "--filter", `name=${prefix}`], opts.dockerHost)).split("\n").filter(Boolean);
    if (ids.length) await docker(["rm", "-f", ...ids], opts.dockerHost);
  });
  const ids: string[] = [];
  for (let i = 0; i < opts.containers; i++) {
    const args = ["run", "-d", "--name", `${prefix}${i}`, "--label", "portolan.test=1", "--label", "portolan.bench=1", "--network", opts.network, IMAGE, ...WORKLOAD];
    ids.push(await docker(args, opts.dockerHost));
  }
  return ids;
}

type Summaries = Record<Action["action"], Record<Path, Record<string, Summary>>>;

function summarizeSamples(samples: Sample[]): Summaries {
  const out = {} as Summaries;
  for (const { action } of ACTIONS) {
    out[action] = { portolan: {}, cli: {} };
    for (const p of ["portolan", "cli"] as const) {
      const mine = samples.filter((s) => s.action === action && s.path === p);
      for (const key of Object.keys(mine[0]?.marks ?? {})) out[action][p][key] = summarize(mine.map((s) => s.marks[key]!).filter((x) => !Number.isNaN(x)));
    }
  }
  return out;
}

function print(r: { opts: { containers: number; rounds: number; network: string }; machine: string; agentMode: string; summary: Summaries; setupMs: number; totalMs: number; nudges: number; settleMs: number }): void {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const rows: (string | number)[][] = [];
  const ratios: string[] = [];
  for (const { action } of ACTIONS) {
    const p = r.summary[action].portolan;
    const c = r.summary[action].cli;
    const row = (label: string, s: Summary | undefined) => s && rows.push([action, label, `${s.n}`, s.p50, s.p95, s.max]);
    row("Portolan: click -> watching tab shows it", p.total);
    row("Portolan: click -> acting tab shows it", p.actingTab);
    row("docker CLI: command + inspect", c.total);
    ratios.push(`${action}: ${ratio(p.total!.p50, c.total!.p50)} (acting tab ${ratio(p.actingTab!.p50, c.total!.p50)})`);
  }
  console.log(`\ncontainer-actions: ${r.opts.containers} containers x ${r.opts.rounds} rounds, network ${r.opts.network}, agent via ${r.agentMode}`);
  console.log(`machine: ${r.machine}\n`);
  console.log(table(["action", "path (ms)", "n", "p50", "p95", "max"], rows));
  console.log(`\nratio of p50s, Portolan / CLI: ${ratios.join("; ")}`);
  console.log("\nwhere Portolan's time goes (p50 ms after the click):");
  const parts: (string | number)[][] = ACTIONS.map(({ action }) => {
    const p = r.summary[action].portolan;
    return [action, p.registry!.p50, p.reply!.p50, p.nudge!.p50, p.total!.p50, r.summary[action].cli.registry!.p50];
  });
  console.log(table(["action", "server inventory", "mutation reply", "nudge at tab", "tab refetched", "inventory after CLI"], parts));
  console.log(`\nsetup ${(r.setupMs / 1000).toFixed(1)} s, total ${(r.totalMs / 1000).toFixed(1)} s (settling between actions ${(r.settleMs / 1000).toFixed(1)} s), ${r.nudges} nudges`);
}
