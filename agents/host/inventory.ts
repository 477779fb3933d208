import os from "node:os";
import type { Container, ContainerChange, HostFacts, HostSnapshot, RuntimeStatus } from "../protocol";
import type { Logger } from "./log";
import type { ContainerRuntime, RuntimeEvent } from "./runtime/container-runtime";
import { AGENT_VERSION } from "./version";

/** Docker actions that never change what the inventory shows. */
const IGNORED_ACTIONS = /^(exec_|attach|detach|resize|top|archive-path|extract-to-dir|export|copy|commit)/;
const RUNTIME_RETRY_MS = 2_000;

export type InventoryOutput = {
  snapshot(snapshot: HostSnapshot): void;
  change(change: ContainerChange): void;
};

/**
 * Keeps the agent's view of the runtime: whether it answers, and the container changes it reports.
 * All work runs on one queue so a snapshot and the events around it reach the server in order.
 */
export class Inventory {
  private generation = Date.now(); // grows across agent restarts too
  private queue: Promise<void> = Promise.resolve();
  private runtimeStatus: RuntimeStatus = { available: false, error: "not checked yet", checkedAt: Date.now() };
  private watch: AbortController | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly output: InventoryOutput,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.connectRuntime();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.abort();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  get status(): RuntimeStatus {
    return this.runtimeStatus;
  }

  /** Queues a full snapshot under a new generation (after (re)connects and runtime recovery). */
  requestSnapshot(): void {
    this.enqueue(async () => {
      this.generation += 1;
      this.output.snapshot(await this.buildSnapshot(this.generation));
    });
  }

  private async buildSnapshot(generation: number): Promise<HostSnapshot> {
    if (this.runtimeStatus.available) {
      try {
        const [facts, containers] = await Promise.all([this.runtime.facts(), this.runtime.listContainers()]);
        return { generation, facts, runtime: this.runtimeStatus, containers };
      } catch (err) {
        this.markUnavailable(err as Error);
      }
    }
    return { generation, facts: fallbackFacts(), runtime: this.runtimeStatus, containers: [] };
  }

  private async connectRuntime(): Promise<void> {
    if (this.stopped) return;
    this.retryTimer = null;
    try {
      await this.runtime.ping();
      const watch = new AbortController();
      this.watch = watch;
      await this.runtime.watchEvents(
        (e) => this.onEvent(e),
        (err) => {
          if (this.watch !== watch || this.stopped) return;
          this.markUnavailable(new Error(`lost the Docker engine's event stream (${err?.message ?? "closed"})`));
          this.requestSnapshot();
          this.scheduleRetry();
        },
        watch.signal,
      );
      const wasDown = !this.runtimeStatus.available;
      this.runtimeStatus = { available: true, error: null, checkedAt: Date.now() };
      if (wasDown) {
        this.log.info("container runtime available");
        this.requestSnapshot();
      }
    } catch (err) {
      const first = this.runtimeStatus.error === "not checked yet";
      this.markUnavailable(err as Error);
      if (first) this.requestSnapshot(); // the server must hear "runtime unavailable" right away
      this.scheduleRetry();
    }
  }

  private markUnavailable(err: Error): void {
    const message = describeRuntimeError(err);
    if (this.runtimeStatus.available || this.runtimeStatus.error !== message) {
      this.log.warn("container runtime unavailable", { error: message });
    }
    this.runtimeStatus = { available: false, error: message, checkedAt: Date.now() };
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => void this.connectRuntime(), RUNTIME_RETRY_MS);
  }

  private onEvent(e: RuntimeEvent): void {
    if (IGNORED_ACTIONS.test(e.action)) return;
    const action = e.action.split(":")[0] ?? e.action; // "health_status: healthy" -> "health_status"
    this.enqueue(async () => {
      const generation = this.generation;
      if (action === "destroy") {
        this.output.change({ kind: "remove", generation, action, time: e.time, id: e.id });
        return;
      }
      const container: Container | null = await this.runtime.getContainer(e.id);
      if (container) this.output.change({ kind: "upsert", generation, action, time: e.time, container });
      else this.output.change({ kind: "remove", generation, action, time: e.time, id: e.id });
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: Error) => {
      this.log.warn("inventory update failed", { error: err.message });
    });
  }
}

function describeRuntimeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "Docker socket not found (is the Docker engine running?)";
  if (code === "ECONNREFUSED") return "Docker engine refused the connection (is it running?)";
  if (code === "EACCES") return "permission denied on the Docker socket";
  return err.message.slice(0, 500);
}

function fallbackFacts(): HostFacts {
  return {
    hostname: os.hostname(),
    os: `${os.type()} ${os.release()}`,
    kernel: os.release(),
    architecture: os.arch(),
    cpus: os.cpus().length,
    memoryBytes: os.totalmem(),
    dockerVersion: null,
    apiVersion: null,
    cgroupVersion: null,
    cgroupDriver: null,
    storageDriver: null,
    securityOptions: [],
    agentVersion: AGENT_VERSION,
  };
}
