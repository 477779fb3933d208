import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import Docker from "dockerode";
import { runInspectorQuery, type InspectorQuery } from "../agents/host/inspect/run-inspector-query";
import { dockerOptions } from "../agents/host/runtime/docker-runtime";
import { docker } from "../test/support/docker-cli";
import { intFlag, type Benchmark, type BenchContext } from "./support/benchmark";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { summarize, table } from "./support/stats";

const run = promisify(execFile);
const IMAGE = "local/busybox:latest";

export const benchmark: Benchmark = {
  name: "inspector",
  description: "agent-side time of the isolation/network inspector's reads vs the plain Docker reads of the same containers",
  run: main,
};

/**
 * Each inspector read against its baseline, measured in the same run on the same containers:
 * host.posture vs listing and inspecting every container through the Engine API; host.network vs the
 * same plus `iptables-save -t nat`; container.security vs `docker inspect` of one; container.processes
 * vs `docker top`. The baselines print raw facts only; the inspector also reads /proc, cgroups and
 * sysfs and derives sharing, limits and findings.
 */
async function main({ argv, cleanup }: BenchContext): Promise<void> {
  const containers = intFlag(argv, "containers", 20);
  const rounds = intFlag(argv, "rounds", 10);
  const dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const client = new Docker(dockerOptions(dockerHost));
  const machine = await machineInfo(dockerHost);
  const tag = `bench-inspector-${process.pid}`;
  const ids: string[] = [];
  cleanup.add("remove containers", () => (ids.length ? docker(["rm", "-f", ...ids]) : undefined));
  for (let i = 0; i < containers; i++) {
    ids.push(await docker(["run", "-d", "--label", "portolan.test=1", "--label", `portolan.bench=${tag}`, "--name", `${tag}-${i}`, "--memory", "32m", IMAGE, "sh", "-c", "sleep 600 & sleep 600 & wait"]));
  }
  const one = ids[0]!;
  // Other people's containers come and go on a shared engine: the baseline lists, then inspects each, tolerating a vanished one.
  const inspectAll = async () => {
    const list = await client.listContainers({ all: true });
    await Promise.all(list.map((c) => client.getContainer(c.Id).inspect().catch(() => null)));
    return list.length;
  };
  const all = await inspectAll();
  const cases: { name: string; portolan: () => Promise<unknown>; baseline: () => Promise<unknown> }[] = [
    { name: "host.posture", portolan: () => q({ query: "host.posture", params: {} }), baseline: inspectAll },
    { name: "host.network", portolan: () => q({ query: "host.network", params: {} }), baseline: () => Promise.all([inspectAll(), run("iptables-save", ["-t", "nat"])]) },
    { name: "container.security", portolan: () => q({ query: "container.security", params: { containerId: one } }), baseline: () => docker(["inspect", one]) },
    { name: "container.processes", portolan: () => q({ query: "container.processes", params: { containerId: one } }), baseline: () => docker(["top", one]) },
  ];
  function q(query: InspectorQuery) {
    return runInspectorQuery(client, query);
  }

  const results: Record<string, { portolan: ReturnType<typeof summarize>; baseline: ReturnType<typeof summarize> }> = {};
  for (const c of cases) {
    await c.portolan(); // warm up both paths once
    await c.baseline();
    const p: number[] = [], b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      await c.portolan();
      p.push(performance.now() - t);
      t = performance.now();
      await c.baseline();
      b.push(performance.now() - t);
    }
    results[c.name] = { portolan: summarize(p), baseline: summarize(b) };
  }
  console.log(`machine: ${describeMachine(machine)}; ${all} containers on the engine (${containers} made here), ${rounds} rounds`);
  console.log(table(
    ["read", "portolan p50 ms", "p95", "baseline p50 ms", "p95", "ratio p50"],
    Object.entries(results).map(([name, r]) => [name, r.portolan.p50, r.portolan.p95, r.baseline.p50, r.baseline.p95, `${(r.portolan.p50 / r.baseline.p50).toFixed(2)}x`]),
  ));
  console.log(`results: ${writeResults("inspector", { machine, containers, engineContainers: all, rounds, results })}`);
}
