import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { AlertEngine } from "../server/domain/alerts/alert-engine";
import { docker } from "../test/support/docker-cli";
import { waitFor } from "../test/support/test-services";
import { intFlag, stringFlag, type Benchmark, type BenchContext } from "./support/benchmark";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { startPortolanStack, type AgentMode } from "./support/portolan-stack";
import { summarize, table } from "./support/stats";

const IMAGE = "local/busybox:latest";
const TIMEOUT_MS = 15_000;

export const benchmark: Benchmark = {
  name: "alert-latency",
  description: "`docker kill` → container_died webhook POST received, vs `docker kill` → the die line from `docker events`",
  run,
};

/**
 * Per round: one labelled container is started, then killed. Portolan's path: engine event → agent →
 * server → alert engine → database → webhook delivery → an HTTP receiver on 127.0.0.1. The baseline
 * is the least any tool can do: a `docker events` process already listening, printing the die event.
 */
async function run({ argv, cleanup }: BenchContext): Promise<void> {
  const rounds = intFlag(argv, "rounds", 10);
  const agent = stringFlag(argv, "agent", "auto") as AgentMode;
  const dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const run = `bench-alerts-${process.pid}`;
  const machine = await machineInfo(dockerHost);
  const stack = await startPortolanStack({ cleanup, dockerHost, agent });
  const { services, caller, hostId } = stack;

  const arrivals = new Map<string, number>(); // containerId -> when the fired webhook arrived
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const at = performance.now();
      const msg = JSON.parse(body) as { event: string; alert: { containerId: string | null } };
      if (msg.event === "alert.fired" && msg.alert.containerId) arrivals.set(msg.alert.containerId, at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  cleanup.add("webhook receiver", () => new Promise((resolve) => receiver.close(resolve)));
  services.alerts = new AlertEngine({ ...services, log: services.log.child({ component: "alerts" }) });
  await services.alerts.start();
  cleanup.add("alert engine", () => services.alerts.stop());
  const hook = await caller.alerts.webhooks.create({ name: "bench", url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
  await caller.alerts.rules.create({ name: "bench died", kind: "container_died", params: {}, labelSelector: `portolan.run=${run}`, webhookIds: [hook.id] });
  cleanup.add("bench containers", async () => {
    const ids = (await docker(["ps", "-aq", "--filter", `label=portolan.run=${run}`], dockerHost)).split("\n").filter(Boolean);
    if (ids.length) await docker(["rm", "-f", ...ids], dockerHost);
  });

  // The baseline listener: `docker events` for die events of this run's containers.
  const dies = new Map<string, number>();
  const events = spawn("docker", ["events", "--filter", "event=die", "--filter", `label=portolan.run=${run}`, "--format", "{{.ID}}"], { env: { ...process.env, DOCKER_HOST: dockerHost } });
  cleanup.add("docker events", () => void events.kill());
  let pending = "";
  events.stdout.on("data", (chunk: Buffer) => {
    const at = performance.now();
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const id of lines) if (id.trim()) dies.set(id.trim(), at);
  });

  const portolan: number[] = [];
  const cli: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const id = await docker(["run", "-d", "--network", "none", "--label", "portolan.test=1", "--label", `portolan.run=${run}`, IMAGE, "sleep", "1000"], dockerHost);
    await waitFor(() => services.registry.get(hostId)?.containers.get(id)?.state === "running", "the agent to report the container", TIMEOUT_MS);
    await new Promise((r) => setTimeout(r, 200)); // let the start settle so each round starts quiet
    const t0 = performance.now();
    await docker(["kill", id], dockerHost);
    await waitFor(() => arrivals.has(id) && dies.has(id), `round ${round}: webhook and docker events`, TIMEOUT_MS);
    portolan.push(arrivals.get(id)! - t0);
    cli.push(dies.get(id)! - t0);
    await docker(["rm", "-f", id], dockerHost);
  }

  const p = summarize(portolan);
  const c = summarize(cli);
  console.log(`machine: ${describeMachine(machine)}`);
  console.log(table(["path", "n", "p50 ms", "p95 ms", "max ms", "mean ms"], [
    ["kill → webhook POST received (Portolan)", String(p.n), p.p50, p.p95, p.max, p.mean],
    ["kill → die line from `docker events` (baseline)", String(c.n), c.p50, c.p95, c.max, c.mean],
  ]));
  console.log(`ratio p50: ${(p.p50 / c.p50).toFixed(1)}x, extra p50: ${(p.p50 - c.p50).toFixed(1)} ms`);
  console.log(`results: ${writeResults("alert-latency", { machine, rounds, agent, portolan: p, baseline: c, samples: { portolan, baseline: cli } })}`);
}
