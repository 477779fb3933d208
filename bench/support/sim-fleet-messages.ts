/** Parent → worker: the agents this worker runs. */
export type WorkerStart = {
  type: "start";
  url: string;
  agents: { index: number; token: string; probe: boolean }[];
  containers: number;
  changeEverySeconds: number;
  /** Agents start spread over this many ms. */
  rampMs: number;
};

/** Worker → parent, once a second: what happened since the last report. */
export type WorkerReport = {
  type: "report";
  /** Agents authenticated right now. */
  connected: number;
  resynced: { index: number; at: number; ms: number }[];
  dropped: { index: number; at: number; reason: string }[];
  probes: { name: string; seq: number; sentAt: number }[];
  errors: string[];
  sent: Record<string, number>;
  /** The worker's own event-loop delay p99 (a busy generator would distort latencies). */
  loopP99Ms: number;
};
