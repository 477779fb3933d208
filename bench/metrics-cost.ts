// The cost of container metrics: Portolan's agent reading cgroup and /proc files directly, against
// `docker stats` streaming the same idle containers, on a private Docker engine (so other work on the
// shared engine does not count), each for the same time, in one run.
// The agent runs as agents/host/launch.ts starts it; with the bundle, the same bundle started as plain
// `node portolan-agent.cjs` is measured too (`--plain no` skips it), so the launch settings' effect on
// RSS and CPU shows in the same run.
// `npm run bench -- --only metrics-cost [--containers 100] [--seconds 60] [--agent auto|tsx|bundle] [--plain yes|no]`
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { metricsHub } from "../server/domain/metrics/metrics-hub-registry";
import { docker } from "../test/support/docker-cli";
import { startSecondEngine } from "../test/support/second-engine";
import { intFlag, stringFlag, type Benchmark } from "./support/benchmark";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { startPortolanStack, type AgentMode } from "./support/portolan-stack";
import { CpuMeter, findPids, rssBytes } from "./support/process-cpu";
import { table } from "./support/stats";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const benchmark: Benchmark = {
  name: "metrics-cost",
  description: "CPU of agent + engine collecting metrics of N idle containers at 1 Hz, vs `docker stats` on the same containers (and agent RSS)",
  async run({ argv, cleanup }) {
    const count = intFlag(argv, "containers", 100);
    const seconds = intFlag(argv, "seconds", 60);
    const agentMode = stringFlag(argv, "agent", "auto") as AgentMode;
    const plainToo = stringFlag(argv, "plain", "yes") !== "no";
    const dir = fs.mkdtempSync("/tmp/pmc.");
    const engine = await startSecondEngine({ dir });
    cleanup.add("private engine", () => engine.stop());
    const machine = await machineInfo(engine.dockerHost);
    console.log(`machine: ${describeMachine(machine)}`);

    console.log(`starting ${count} idle containers on a private engine…`);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 10) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) =>
        docker(["run", "-d", "--label", "portolan.test=1", "--network", "none", "--name", `pmc-${i + k}`, "local/busybox:latest", "sleep", "86400"], engine.dockerHost),
      );
      ids.push(...(await Promise.all(batch)));
    }
    // The engine's own processes: dockerd, its containerd and every shim name the engine's folder.
    const enginePids = () => findPids((p) => p.cmdline.includes(`${dir}/`));
    const measure = async (label: string, extra: () => number[], during?: () => void) => {
      await sleep(2_000);
      const engineCpu = new CpuMeter(enginePids);
      const extraCpu = new CpuMeter(extra);
      const started = Date.now();
      while (Date.now() - started < seconds * 1000) {
        await sleep(1_000);
        engineCpu.sample();
        extraCpu.sample();
        during?.();
      }
      const wall = (Date.now() - started) / 1000;
      const r = { label, wall, engine: engineCpu.total(), extra: extraCpu.total() };
      console.log(`  ${label}: engine ${r.engine.toFixed(2)} CPU-s, own process ${r.extra.toFixed(2)} CPU-s over ${wall.toFixed(0)} s`);
      return r;
    };

    // 1. Nothing watching: what the engine costs anyway (subtracted from both).
    const idle = await measure("idle engine", () => []);

    // 2. Portolan: the real agent process, ticking every second with every container in each tick.
    const runAgent = async (label: string, launch?: "plain") => {
      const stack = await startPortolanStack({ cleanup, dockerHost: engine.dockerHost, agent: agentMode, launch });
      let ticks = 0;
      let containersPerTick = 0;
      let source = "";
      metricsHub(stack.services).on("tick", (t) => {
        ticks++;
        containersPerTick = t.containers.length;
        source = t.source;
      });
      const agentPgid = stack.agent.process.child.pid!;
      const agentPids = () => findPids((p) => p.pgrp === agentPgid);
      // Enrolled, first snapshot sent, cgroup files opened; and the engine quiet again: answering the
      // snapshot (a list and an inspect per container) costs dockerd CPU for some seconds after, which
      // is start-up, not the per-second cost measured here (its debug log shows no agent calls after).
      await sleep(30_000);
      let maxRss = 0;
      const ticksBefore = ticks;
      const cpu = await measure(label, agentPids, () => {
        maxRss = Math.max(maxRss, agentPids().reduce((a, pid) => a + rssBytes(pid), 0));
      });
      const memory = await memoryBreakdown(agentPgid);
      const tickRate = (ticks - ticksBefore) / cpu.wall;
      await stack.agent.process.stop();
      return { cpu, maxRss, memory, tickRate, containersPerTick, source, mode: stack.agent.mode };
    };
    const agent = await runAgent("portolan agent");
    const plain = plainToo && agent.mode === "bundle" ? await runAgent("portolan agent, plain `node bundle`", "plain") : null;
    const { cpu: portolan, maxRss, tickRate, containersPerTick, source } = agent;
    // The engine's own cost with nothing watching, again: it moves between measurements (seen 1.3 to
    // 1.7 CPU-s a minute), so the baseline subtracted is the mean of the one before and this one.
    const idleAgain = await measure("idle engine, again", () => []);
    const idleEngine = (idle.engine + idleAgain.engine) / 2;

    // 3. docker stats streaming every running container, output discarded.
    const cli = spawn("docker", ["-H", engine.dockerHost, "stats"], { stdio: ["ignore", "ignore", "ignore"], detached: true });
    cleanup.add("docker stats", () => {
      try {
        process.kill(-cli.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    });
    const stats = await measure("docker stats", () => findPids((p) => p.pgrp === cli.pid));
    process.kill(-cli.pid!, "SIGKILL");

    const portolanCost = Math.max(0, portolan.engine - idleEngine) + portolan.extra;
    const plainCost = plain ? Math.max(0, plain.cpu.engine - idleEngine) + plain.cpu.extra : NaN;
    const statsCost = Math.max(0, stats.engine - idleEngine) + stats.extra;
    const ratio = statsCost > 0 ? portolanCost / statsCost : NaN;
    console.log(table(
      ["", "CPU-s (engine above idle + own)", "% of one core", "vs docker stats"],
      [
        ["docker stats (baseline)", statsCost.toFixed(2), ((statsCost / stats.wall) * 100).toFixed(2), "1"],
        ["portolan agent", portolanCost.toFixed(2), ((portolanCost / portolan.wall) * 100).toFixed(2), `1/${(1 / ratio).toFixed(0)}`],
        ...(plain ? [["(same bundle, plain `node`)", plainCost.toFixed(2), ((plainCost / plain.cpu.wall) * 100).toFixed(2), `1/${(statsCost / plainCost).toFixed(0)}`]] : []),
      ],
    ));
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(table(
      ["agent memory", "max RSS MiB", "RSS at end", "anonymous", "file-backed (node binary, libs)"],
      [agent, ...(plain ? [plain] : [])].map((a, i) => [i === 0 ? "as launched by agents/host/launch.ts" : "plain `node portolan-agent.cjs`", mib(a.maxRss), mib(a.memory.rss), mib(a.memory.anonymous), mib(a.memory.rss - a.memory.anonymous)]),
    ));
    console.log(`agent: ${tickRate.toFixed(2)} ticks/s with ${containersPerTick} containers each (source ${source}); max RSS ${(maxRss / 2 ** 20).toFixed(1)} MiB (target ≤ 60 MiB)`);
    console.log(`target: Portolan ≤ 1/20 of docker stats → ${ratio <= 1 / 20 ? "met" : "NOT met"}; RSS ${maxRss <= 60 * 2 ** 20 ? "met" : "NOT met"}`);
    const file = writeResults("metrics-cost", { machine, containers: count, seconds, agentMode: agent.mode, idle, idleAgain, idleEngine, portolan, stats, portolanCost, statsCost, ratio, tickRate, containersPerTick, source, maxRssBytes: maxRss, memory: agent.memory, plain: plain && { ...plain, cost: plainCost }, cores: os.cpus().length });
    console.log(`results: ${path.relative(process.cwd(), file)}`);
    if (containersPerTick !== count) throw new Error(`the agent reported ${containersPerTick} containers per tick, expected ${count}`);
  },
};

/** Resident memory of a process group's processes, split into anonymous (heaps, stacks) and the rest. */
async function memoryBreakdown(pgid: number): Promise<{ rss: number; anonymous: number }> {
  let rss = 0;
  let anonymous = 0;
  for (const pid of findPids((p) => p.pgrp === pgid)) {
    const text = await fsp.readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => "");
    rss += Number(/^Rss:\s+(\d+) kB$/m.exec(text)?.[1] ?? 0) * 1024;
    anonymous += Number(/^Anonymous:\s+(\d+) kB$/m.exec(text)?.[1] ?? 0) * 1024;
  }
  return { rss, anonymous };
}
