// A child process running a slice of the simulated fleet (bench/support/sim-fleet.ts starts it), so
// the load generator never shares an event loop with the server or the benchmark itself.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { SimAgent } from "./sim-agent";
import type { WorkerReport, WorkerStart } from "./sim-fleet-messages";

const agents: SimAgent[] = [];
let report: Omit<WorkerReport, "type" | "connected" | "loopP99Ms"> = fresh();
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

function fresh() {
  return { resynced: [] as WorkerReport["resynced"], dropped: [] as WorkerReport["dropped"], probes: [] as WorkerReport["probes"], errors: [] as string[], sent: {} as Record<string, number> };
}

function start(msg: WorkerStart): void {
  const events = {
    resynced: (a: SimAgent, ms: number) => void report.resynced.push({ index: Number(a.name.slice(4)), at: Date.now(), ms }),
    dropped: (a: SimAgent, reason: string) => void report.dropped.push({ index: Number(a.name.slice(4)), at: Date.now(), reason }),
    probeSent: (a: SimAgent, seq: number, sentAt: number) => void report.probes.push({ name: `bench-probe-${Number(a.name.slice(4))}`, seq, sentAt }),
    error: (a: SimAgent, message: string) => void (report.errors.length < 20 && report.errors.push(`${a.name}: ${message}`)),
    sent: (kind: string) => void (report.sent[kind] = (report.sent[kind] ?? 0) + 1),
  };
  msg.agents.forEach((a, k) => {
    const agent = new SimAgent({ url: msg.url, index: a.index, token: a.token, probe: a.probe, containers: msg.containers, changeEverySeconds: msg.changeEverySeconds, events });
    agents.push(agent);
    // Hosts come up over the ramp, not all in the same millisecond.
    setTimeout(() => agent.start(), (k / msg.agents.length) * msg.rampMs);
  });
  setInterval(() => {
    const out: WorkerReport = { type: "report", connected: agents.filter((a) => a.authenticated).length, loopP99Ms: loop.percentile(99) / 1e6, ...report };
    loop.reset();
    report = fresh();
    process.send?.(out);
  }, 1_000);
}

process.on("message", (msg: WorkerStart | { type: "stop" }) => {
  if (msg.type === "start") start(msg);
  if (msg.type === "stop") {
    for (const a of agents) a.stop();
    setTimeout(() => process.exit(0), 200);
  }
});
// The parent going away (crash, Ctrl-C) ends the slice too: bounded in time whatever happens.
process.on("disconnect", () => process.exit(0));
