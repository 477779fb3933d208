import crypto from "node:crypto";
import { io, type Socket } from "socket.io-client";
import {
  AGENT_NAMESPACE,
  PROTOCOL_VERSION,
  ZAgentQuery,
  ZAuthChallenge,
  ZAuthResult,
  ZHostSnapshot,
  ZLogClose,
  ZLogOpen,
  ZMetricsTick,
  ZMetricsWatch,
  challengePayload,
  type Ack,
  type AgentToServerEvents,
  type AuthResponse,
  type ServerToAgentEvents,
} from "../../agents/protocol";
import { RECONNECT_OPTIONS, redialDelayMs } from "../../agents/host/reconnect-policy";
import { simContainer, simContainerDetail, simContainerSummary, simEngineEvent, simFacts, simHostMetrics, simInspect, simLogLine } from "./sim-agent-data";

type SimSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;
const ACK_TIMEOUT_MS = 30_000;

export type SimAgentOptions = {
  url: string;
  index: number;
  token: string;
  containers: number;
  /** Probe agents change their probe container's status every second, stamped with the send time. */
  probe: boolean;
  /** Mean seconds between ordinary container changes (0 = none). */
  changeEverySeconds: number;
  events: SimAgentEvents;
};

export type SimAgentEvents = {
  /** Authenticated and its snapshot acknowledged (the host is resynced). */
  resynced(agent: SimAgent, ms: number): void;
  /** A link the agent had was lost (not by its own stop). */
  dropped(agent: SimAgent, reason: string): void;
  probeSent(agent: SimAgent, seq: number, sentAt: number): void;
  error(agent: SimAgent, message: string): void;
  /** Messages this agent emitted (ticks, changes, snapshots, events, log batches, replies). */
  sent(kind: string): void;
};

/**
 * One simulated host speaking the real agent protocol (agents/protocol): its own Ed25519 key, a
 * one-time enrollment token, challenge answers, a snapshot of M containers, 1 Hz metrics ticks
 * shaped like the real agent's, container changes and engine events now and then, log lines while a
 * log stream is open, and minimal valid answers to queries. Incoming payloads are parsed with the
 * protocol's schemas, as the real agent does; the first snapshot and tick it sends are parsed too.
 * It reconnects on the real agent's schedule (agents/host/reconnect-policy.ts).
 */
export class SimAgent {
  readonly name: string;
  hostId: string | null = null;
  authenticated = false;
  private readonly key = crypto.generateKeyPairSync("ed25519");
  private readonly publicKey = this.key.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  private serverPublicKey: string | null = null;
  private socket: SimSocket | null = null;
  private generation = Date.now();
  private readonly containers: ReturnType<typeof simContainer>[];
  private watch = { ids: new Set<string>(), all: false, intervalMs: 1_000 };
  private timers = new Set<NodeJS.Timeout>();
  private tickTimer: NodeJS.Timeout | null = null;
  private readonly logStreams = new Map<string, { timer: NodeJS.Timeout | null }>();
  private redialTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;
  private probeSeq = 0;
  private checkedShapes = false;
  private dialStartedAt = Date.now();

  constructor(private readonly opts: SimAgentOptions) {
    this.name = `sim-${String(opts.index).padStart(5, "0")}`;
    this.containers = Array.from({ length: opts.containers }, (_, i) => simContainer(opts.index, i, opts.probe && i === 0));
  }

  start(): void {
    const socket: SimSocket = io(this.opts.url + AGENT_NAMESPACE, {
      transports: ["websocket"],
      extraHeaders: { origin: new URL(this.opts.url).origin },
      ...RECONNECT_OPTIONS,
    });
    this.socket = socket;
    this.dialStartedAt = Date.now();
    socket.on("auth:challenge", (raw) => void this.onChallenge(raw).catch((err: Error) => this.fail(`authentication step failed: ${err.message}`)));
    socket.on("disconnect", (reason) => {
      const was = this.authenticated;
      this.pause();
      if (this.stopped) return;
      if (was) this.opts.events.dropped(this, reason);
      this.dialStartedAt = Date.now();
      if (reason === "io server disconnect") this.redial();
    });
    socket.on("connect_error", (err) => this.opts.events.error(this, `connect_error: ${err.message}`));
    socket.on("metrics:watch", (raw) => {
      const w = ZMetricsWatch.safeParse(raw);
      if (!w.success) return this.opts.events.error(this, "malformed metrics:watch");
      this.watch = { ids: new Set(w.data.containerIds), all: w.data.allDetail, intervalMs: w.data.intervalSeconds * 1000 };
    });
    socket.on("query:run", (raw, ack) => ack(this.answer(raw)));
    socket.on("command:run", (_raw, ack) => ack({ ok: false, error: { code: "UNSUPPORTED", message: "simulated agent runs no commands" } }));
    socket.on("terminal:open", (_raw, ack) => ack({ ok: false, error: { code: "UNSUPPORTED", message: "simulated agent opens no terminals" } }));
    socket.on("logs:open", (raw, ack) => {
      const open = ZLogOpen.safeParse(raw);
      if (!open.success) return ack({ ok: false, error: { code: "BAD_REQUEST", message: "malformed logs:open" } });
      ack({ ok: true, data: null });
      this.streamLogs(open.data.streamId);
    });
    socket.on("logs:close", (raw) => {
      const close = ZLogClose.safeParse(raw);
      if (close.success) this.endLogs(close.data.streamId);
    });
  }

  stop(): void {
    this.stopped = true;
    this.pause();
    if (this.redialTimer) clearTimeout(this.redialTimer);
    this.socket?.disconnect();
  }

  private redial(): void {
    if (this.stopped || this.redialTimer) return;
    this.redialTimer = setTimeout(() => {
      this.redialTimer = null;
      if (!this.stopped && !this.socket?.connected) this.socket?.connect();
    }, redialDelayMs(this.attempts++));
  }

  private fail(message: string): void {
    this.opts.events.error(this, message);
    this.socket?.disconnect();
    this.redial();
  }

  private async onChallenge(raw: unknown): Promise<void> {
    const socket = this.socket!;
    const challenge = ZAuthChallenge.parse(raw);
    if (this.serverPublicKey && this.serverPublicKey !== challenge.serverPublicKey) throw new Error("server key differs from the pinned one");
    const signature = crypto.sign(null, Buffer.from(challengePayload(challenge.nonce)), this.key.privateKey).toString("base64");
    const response: AuthResponse = this.hostId
      ? { mode: "key", protocolVersion: PROTOCOL_VERSION, publicKey: this.publicKey, signature }
      : { mode: "enroll", protocolVersion: PROTOCOL_VERSION, token: this.opts.token, publicKey: this.publicKey, signature };
    const ack: Ack<unknown> = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("auth:response", response);
    if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
    const result = ZAuthResult.parse(ack.data);
    this.hostId = result.hostId;
    this.serverPublicKey = challenge.serverPublicKey;
    this.attempts = 0;
    this.authenticated = true;
    // What the real agent does after authenticating: outcomes of recent commands, then a snapshot.
    void socket.timeout(ACK_TIMEOUT_MS).emitWithAck("command:outcomes", { forgottenBefore: Date.now(), outcomes: [] }).catch(() => undefined);
    this.opts.events.sent("command:outcomes");
    this.generation += 1;
    const snapshot = { generation: this.generation, facts: simFacts(this.name), runtime: { available: true, error: null, checkedAt: Date.now() }, containers: this.containers };
    if (!this.checkedShapes) ZHostSnapshot.parse(snapshot);
    const snapAck: Ack<null> = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("host:snapshot", snapshot);
    this.opts.events.sent("host:snapshot");
    if (!snapAck.ok) throw new Error(`snapshot refused: ${snapAck.error.message}`);
    this.opts.events.resynced(this, Date.now() - this.dialStartedAt);
    this.scheduleTick();
    this.scheduleChange();
    if (this.opts.probe) this.scheduleProbe();
  }

  /** Stops everything that only runs while authenticated (the real agent pauses its features likewise). */
  private pause(): void {
    this.authenticated = false;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const id of [...this.logStreams.keys()]) this.endLogs(id);
    this.watch = { ids: new Set(), all: false, intervalMs: this.watch.intervalMs };
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.authenticated) fn();
    }, ms);
    this.timers.add(t);
  }

  private scheduleTick(): void {
    // Agents started at different moments tick at different phases of the second, as in a real fleet.
    this.tickTimer = setTimeout(() => {
      this.tickTimer = null;
      if (!this.authenticated) return;
      this.sendTick();
      this.scheduleTick();
    }, this.watch.intervalMs);
  }

  private sendTick(): void {
    const now = Date.now();
    const running = this.containers.filter((c) => c.state === "running");
    const tick = {
      t: now,
      intervalMs: this.watch.intervalMs,
      source: "cgroup-v1" as const,
      sourceNote: null,
      host: simHostMetrics(now),
      containers: running.map((c) => simContainerSummary(c.id, now)),
      details: running.filter((c) => this.watch.all || this.watch.ids.has(c.id)).map((c) => simContainerDetail(c.id, now)),
    };
    if (!this.checkedShapes) {
      ZMetricsTick.parse(tick);
      this.checkedShapes = true;
    }
    this.socket!.emit("metrics:tick", tick);
    this.opts.events.sent("metrics:tick");
  }

  /** An ordinary container restart now and then: its engine events and the container's new state. */
  private scheduleChange(): void {
    if (!this.opts.changeEverySeconds) return;
    this.later(-Math.log(1 - Math.random()) * this.opts.changeEverySeconds * 1000, () => {
      const i = this.opts.probe ? 1 + Math.floor(Math.random() * (this.containers.length - 1)) : Math.floor(Math.random() * this.containers.length);
      const c = this.containers[i];
      if (c) {
        const now = Date.now();
        c.startedAt = now;
        c.restartCount += 1;
        c.status = `Up Less than a second (restarts ${c.restartCount})`;
        this.socket!.emit("container:change", { kind: "upsert", generation: this.generation, action: "restart", time: now, container: c });
        this.opts.events.sent("container:change");
        const events = ["kill", "die", "stop", "start", "restart"].map((action) => simEngineEvent(c, action, now));
        void this.socket!.timeout(ACK_TIMEOUT_MS).emitWithAck("engine:events", { events, dropped: 0 }).catch(() => undefined);
        this.opts.events.sent("engine:events");
      }
      this.scheduleChange();
    });
  }

  /** The latency probe: a new status text on the probe container, stamped with when it was sent. */
  private scheduleProbe(): void {
    this.later(1_000 + Math.random() * 200, () => {
      const c = this.containers[0]!;
      const seq = ++this.probeSeq;
      c.status = `Up 1 hour · probe ${seq}`;
      c.restartCount = seq; // the fleet table shows restarts as a plain number: the browser reads it back
      const sentAt = Date.now();
      this.socket!.emit("container:change", { kind: "upsert", generation: this.generation, action: "update", time: sentAt, container: c });
      this.opts.events.sent("container:change");
      this.opts.events.probeSent(this, seq, sentAt);
      this.scheduleProbe();
    });
  }

  /** One line a second while a viewer has the stream open; the next batch waits for the ack, as the real agent does. */
  private streamLogs(streamId: string): void {
    const stream = { timer: null as NodeJS.Timeout | null };
    const send = () => {
      stream.timer = null;
      if (!this.authenticated || this.logStreams.get(streamId) !== stream) return;
      this.opts.events.sent("logs:batch");
      void this.socket!.timeout(ACK_TIMEOUT_MS)
        .emitWithAck("logs:batch", { streamId, items: [simLogLine(this.name)] })
        .then(() => {
          if (this.logStreams.get(streamId) === stream) stream.timer = setTimeout(send, 1_000);
        })
        .catch(() => undefined);
    };
    this.logStreams.set(streamId, stream);
    stream.timer = setTimeout(send, 50);
  }

  private endLogs(streamId: string): void {
    const stream = this.logStreams.get(streamId);
    if (stream?.timer) clearTimeout(stream.timer);
    this.logStreams.delete(streamId);
  }

  private answer(raw: unknown): Ack<unknown> {
    this.opts.events.sent("query:reply");
    const q = ZAgentQuery.safeParse(raw);
    if (!q.success) return { ok: false, error: { code: "BAD_REQUEST", message: "malformed query" } };
    switch (q.data.query) {
      case "container.inspect": {
        const c = this.containers.find((x) => x.id.startsWith(q.data.params.containerId) || x.name === q.data.params.containerId);
        return c ? { ok: true, data: simInspect(c) } : { ok: false, error: { code: "NOT_FOUND", message: "no such container" } };
      }
      case "images.list":
      case "volumes.list":
      case "networks.list":
      case "host.posture":
      case "container.processes":
        return { ok: true, data: [] };
      case "container.logs":
        return { ok: true, data: { lines: [simLogLine(this.name)], truncated: false } };
      default:
        return { ok: false, error: { code: "UNSUPPORTED", message: `a simulated agent does not answer ${q.data.query}` } };
    }
  }
}
