import { spawn } from "node:child_process";
import { io, type Socket } from "socket.io-client";
import { isLogMarker, type LogBatch } from "../agents/protocol/logs";
import { docker } from "../test/support/docker-cli";
import { intFlag, type Benchmark, type BenchContext } from "./support/benchmark";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { startPortolanStack } from "./support/portolan-stack";
import { table } from "./support/stats";

const IMAGE = "local/busybox:latest";

export const benchmark: Benchmark = {
  name: "log-latency",
  description: "engine timestamp → receipt latency of live log lines through Portolan vs `docker logs -f -t`, and the rate at which drops begin",
  run,
};

/** Milliseconds since the epoch of an engine timestamp, keeping its sub-millisecond part. */
function engineMs(ts: string): number {
  const base = Date.parse(ts.slice(0, 23) + "Z");
  return base + Number(`0.${ts.slice(23, 29)}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function run({ argv, cleanup }: BenchContext): Promise<void> {
  const seconds = intFlag(argv, "seconds", 20);
  const dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const machine = await machineInfo(dockerHost);
  console.log(describeMachine(machine));
  const stack = await startPortolanStack({ cleanup, dockerHost, agent: "auto" });
  console.log(`agent: ${stack.agent.mode}`);

  const start = async (name: string, script: string) => {
    const full = `pt-bench-logs-${process.pid}-${name}`;
    const id = (await docker(["run", "-d", "--name", full, "--label", "portolan.test=1", IMAGE, "sh", "-c", script])).trim();
    cleanup.add(`container ${name}`, () => docker(["rm", "-f", id]));
    await waitKnown(stack, id);
    return id;
  };
  const socket: Socket = io(`${stack.server.url}/live`, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie: stack.cookie, origin: stack.server.url } });
  cleanup.add("socket", () => socket.disconnect());
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("connect_error", reject));
  const handlers = new Map<string, (batch: LogBatch) => void>();
  socket.on("logs:batch", (batch: LogBatch, ack: () => void) => {
    handlers.get(batch.streamId)?.(batch);
    ack();
  });
  const subscribe = async (containerId: string, onBatch: (batch: LogBatch) => void) => {
    const reply = (await socket.timeout(10_000).emitWithAck("logs:subscribe", { hostId: stack.hostId, containerId, options: { tail: 0, follow: true } })) as { ok: boolean; data?: { streamId: string }; error?: { message: string } };
    if (!reply.ok) throw new Error(`logs:subscribe refused: ${reply.error?.message}`);
    handlers.set(reply.data!.streamId, onBatch);
    return reply.data!.streamId;
  };

  // 1. Latency at 50 lines/s: both readers follow the same container at the same time.
  const quiet = await start("quiet", "i=0; while :; do i=$((i+1)); echo \"line $i\"; usleep 20000; done");
  const ours: number[] = [];
  const theirs: number[] = [];
  await subscribe(quiet, (batch) => {
    const now = Date.now() + (performance.now() % 1); // sub-ms jitter is below what we report
    for (const item of batch.items) if (!isLogMarker(item)) ours.push(now - engineMs(item.ts));
  });
  const cli = spawn("docker", ["logs", "-f", "-t", "--tail", "0", quiet], { stdio: ["ignore", "pipe", "ignore"] });
  cleanup.add("docker logs -f", () => cli.kill());
  let pending = "";
  cli.stdout.on("data", (chunk: Buffer) => {
    const now = Date.now();
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const ts = line.slice(0, line.indexOf(" "));
      if (/^\d{4}-/.test(ts)) theirs.push(now - engineMs(ts.replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.padEnd(9, "0")}Z`)));
    }
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  cli.kill();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [o, t] = [sorted(ours.slice(25)), sorted(theirs.slice(25))]; // skip the warm-up second
  const row = (name: string, xs: number[]) => [name, String(xs.length), percentile(xs, 50), percentile(xs, 99), xs.at(-1) ?? NaN];
  console.log(`\nLatency at 50 lines/s over ${seconds} s, engine timestamp → line received (ms):`);
  console.log(table(["reader", "lines", "p50", "p99", "max"], [row("portolan (agent → server → socket)", o), row("docker logs -f -t (baseline)", t)]));
  const p99Gap = percentile(o, 99) - percentile(t, 99);
  console.log(`p99 above the baseline: ${p99Gap.toFixed(1)} ms (target ≤ 20 ms): ${p99Gap <= 20 ? "met" : "NOT met"}`);

  // 2. Throughput: bursts every 10 ms at rising rates; count delivered lines and reported drops.
  const rates: (string | number)[][] = [];
  const results: { rate: number; produced: number; delivered: number; dropped: number; gaps: number }[] = [];
  for (const burst of [10, 50, 200, 500]) {
    const name = `burst${burst}`;
    const id = await start(name, `sleep 1; i=1; end=$(( $(date +%s) + 8 )); while [ $(date +%s) -lt $end ]; do seq $i $((i+${burst}-1)); i=$((i+${burst})); usleep 10000; done; echo "end $i"; sleep 3600`);
    let delivered = 0;
    let dropped = 0;
    let gaps = 0;
    let last = 0;
    let done = false;
    await subscribe(id, (batch) => {
      for (const item of batch.items) {
        if (isLogMarker(item)) {
          if (item.marker === "dropped") dropped += item.count ?? 0;
          else gaps++;
        } else if (item.text.startsWith("end ")) {
          last = Number(item.text.slice(4)) - 1;
          done = true;
        } else delivered++;
      }
    });
    const deadline = Date.now() + 30_000;
    while (!done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const rate = Math.round(last / 8);
    results.push({ rate, produced: last, delivered, dropped, gaps });
    rates.push([`${burst} lines / 10 ms`, String(rate), String(last), String(delivered), String(dropped), done ? "" : "timed out"]);
    await docker(["rm", "-f", id]).catch(() => undefined);
  }
  console.log("\nThroughput (one container, one viewer acking each batch at once):");
  console.log(table(["generator", "lines/s produced", "lines", "delivered", "dropped (counted)", "note"], rates));
  const firstDrop = results.find((r) => r.dropped > 0);
  console.log(firstDrop ? `drops begin at about ${firstDrop.rate} lines/s` : `no drops up to ${Math.max(...results.map((r) => r.rate))} lines/s`);
  writeResults("log-latency", { machine, seconds, portolan: { n: o.length, p50: percentile(o, 50), p99: percentile(o, 99) }, dockerLogs: { n: t.length, p50: percentile(t, 50), p99: percentile(t, 99) }, throughput: results });
}

async function waitKnown(stack: Awaited<ReturnType<typeof startPortolanStack>>, id: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!stack.services.registry.get(stack.hostId)?.containers.get(id)) {
    if (Date.now() > deadline) throw new Error("the agent did not report the benchmark container");
    await new Promise((r) => setTimeout(r, 50));
  }
}
