import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Cleanup } from "./benchmark";
import type { WorkerReport, WorkerStart } from "./sim-fleet-messages";

const WORKER = path.join(import.meta.dirname, "sim-fleet-worker.ts");

export type SimFleetOptions = {
  /** One URL per server replica; agent i dials urls[i % urls.length]. */
  urls: string[];
  tokens: string[];
  /** Agent index of tokens[0] (names, container ids and probes follow the index). */
  firstIndex: number;
  containers: number;
  /** How many agents carry a latency probe (the first ones). */
  probes: number;
  workers: number;
  /** CPU core(s) the generator processes are pinned to (taskset -c: "1" or "0,1"). */
  core: number | string;
  changeEverySeconds: number;
  rampMs: number;
  /** Added to the workers' niceness: the bulk of the fleet yields to the probe agents and the browser. */
  niceness?: number;
  cleanup: Cleanup;
};

/**
 * N simulated agents (bench/support/sim-agent.ts) in `workers` child processes pinned to one core.
 * Collects what they report: who is connected, resync times, drops, probe send times, messages sent.
 */
export class SimFleet {
  readonly resynced: WorkerReport["resynced"] = [];
  readonly dropped: WorkerReport["dropped"] = [];
  readonly probes: WorkerReport["probes"] = [];
  readonly errors: string[] = [];
  readonly sent: Record<string, number> = {};
  /** Per second: messages the generator emitted, and its worst worker event-loop p99. */
  readonly perSecond: { at: number; sent: number; loopP99Ms: number }[] = [];
  private readonly connectedBy = new Map<ChildProcess, number>();
  private readonly children: ChildProcess[] = [];

  constructor(private readonly opts: SimFleetOptions) {}

  static start(opts: SimFleetOptions): SimFleet {
    const fleet = new SimFleet(opts);
    fleet.spawnWorkers();
    return fleet;
  }

  get connected(): number {
    let n = 0;
    for (const c of this.connectedBy.values()) n += c;
    return n;
  }

  totalSent(): number {
    return Object.values(this.sent).reduce((a, b) => a + b, 0);
  }

  async waitConnected(count: number, timeoutMs: number, label: string): Promise<number> {
    const started = Date.now();
    while (this.connected < count) {
      if (Date.now() - started > timeoutMs) throw new Error(`${label}: ${this.connected} of ${count} agents connected after ${timeoutMs} ms; errors: ${this.errors.slice(0, 5).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Date.now() - started;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill("SIGKILL"), 3_000);
            child.once("exit", () => (clearTimeout(kill), resolve()));
            if (child.connected) child.send({ type: "stop" });
            else child.kill("SIGTERM");
          }),
      ),
    );
  }

  private spawnWorkers(): void {
    const { tokens, workers } = this.opts;
    for (let w = 0; w < workers; w++) {
      const agents = tokens
        .map((token, k) => ({ index: this.opts.firstIndex + k, token, probe: this.opts.firstIndex + k < this.opts.probes }))
        .filter((a) => a.index % workers === w);
      const child = spawn("nice", ["-n", String(this.opts.niceness ?? 0), "taskset", "-c", String(this.opts.core), process.execPath, "--import", "tsx", WORKER], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: { ...process.env, NODE_OPTIONS: "" },
      });
      this.children.push(child);
      this.opts.cleanup.add(`sim fleet worker ${w}`, () => this.stop());
      child.on("message", (msg: WorkerReport) => this.onReport(child, msg));
      // Agents of one worker are spread over the replicas by index, the same way in every worker.
      const byUrl = new Map<string, WorkerStart["agents"]>();
      for (const a of agents) {
        const url = this.opts.urls[a.index % this.opts.urls.length]!;
        byUrl.set(url, [...(byUrl.get(url) ?? []), a]);
      }
      for (const [url, slice] of byUrl) {
        const start: WorkerStart = { type: "start", url, agents: slice, containers: this.opts.containers, changeEverySeconds: this.opts.changeEverySeconds, rampMs: this.opts.rampMs };
        child.send(start);
      }
    }
  }

  private lastSecond = 0;
  private onReport(child: ChildProcess, msg: WorkerReport): void {
    this.connectedBy.set(child, msg.connected);
    this.resynced.push(...msg.resynced);
    this.dropped.push(...msg.dropped);
    this.probes.push(...msg.probes);
    for (const e of msg.errors) if (this.errors.length < 50) this.errors.push(e);
    let sent = 0;
    for (const [k, n] of Object.entries(msg.sent)) {
      this.sent[k] = (this.sent[k] ?? 0) + n;
      sent += n;
    }
    const second = Math.floor(Date.now() / 1000);
    const last = this.perSecond.at(-1);
    if (last && second - this.lastSecond < 1) {
      last.sent += sent;
      last.loopP99Ms = Math.max(last.loopP99Ms, msg.loopP99Ms);
    } else {
      this.perSecond.push({ at: Date.now(), sent, loopP99Ms: msg.loopP99Ms });
      this.lastSecond = second;
    }
  }
}
