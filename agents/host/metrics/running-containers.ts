import type Docker from "dockerode";
import { z } from "zod";

/** A running container and its init process on the host (where its cgroup and netns are found). */
export type RunningContainer = { id: string; pid: number };

const ZList = z.array(z.object({ Id: z.string().regex(/^[a-f0-9]{64}$/) }).loose()).max(100_000);
const ZInspectPid = z.object({ State: z.object({ Pid: z.number().int().nonnegative(), Running: z.boolean() }).loose() }).loose();

/**
 * The running containers. Listed from the engine again only when its event stream says a container
 * started or stopped (and once a minute as a safety net; every few seconds while the stream is down):
 * each new container is inspected once for its PID. Everything per tick is read from the kernel.
 */
export class RunningContainers {
  private pids = new Map<string, number>();
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;
  private dirty = true;
  private events: NodeJS.ReadableStream & { destroy?(): void } | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly docker: Docker, private readonly resyncMs = 60_000, private readonly pollMs = 5_000) {}

  /** Current set; refreshes from the engine when something changed or the last list is too old. */
  async list(force = false): Promise<RunningContainer[]> {
    if (!this.events && !this.retry && !this.stopped) void this.follow();
    const maxAge = this.events ? this.resyncMs : this.pollMs;
    if (force || this.dirty || Date.now() - this.lastRefresh >= maxAge) await this.refresh();
    return [...this.pids].map(([id, pid]) => ({ id, pid }));
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.events?.destroy?.();
    this.events = null;
  }

  /** Container start/die/destroy events mark the set stale; the payloads themselves are not needed. */
  private async follow(): Promise<void> {
    try {
      const stream = (await this.docker.getEvents({ filters: { type: ["container"], event: ["start", "die", "destroy", "pause", "unpause"] } })) as NodeJS.ReadableStream & { destroy?(): void };
      if (this.stopped) return stream.destroy?.();
      this.events = stream;
      this.dirty = true; // anything may have happened before the stream opened
      stream.on("data", () => (this.dirty = true));
      const lost = () => {
        if (this.events !== stream) return;
        this.events = null;
        this.later();
      };
      stream.on("end", lost);
      stream.on("error", lost);
      stream.on("close", lost);
    } catch {
      this.later();
    }
  }

  private later(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.follow();
    }, 5_000);
    this.retry.unref?.();
  }

  /** A container whose files vanished: forget it until the next list says otherwise. */
  forget(id: string): void {
    this.pids.delete(id);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      this.dirty = false; // an event arriving while listing marks it again
      try {
        const listed = ZList.parse(await this.docker.listContainers({ filters: { status: ["running"] } }));
        const next = new Map<string, number>();
        for (const { Id } of listed) {
          const known = this.pids.get(Id);
          const pid = known ?? (await this.inspectPid(Id));
          if (pid) next.set(Id, pid);
        }
        this.pids = next;
        this.lastRefresh = Date.now();
      } catch {
        this.dirty = true; // engine unreachable: keep the last set (host metrics go on) and try next tick
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async inspectPid(id: string): Promise<number | null> {
    try {
      const info = ZInspectPid.parse(await this.docker.getContainer(id).inspect());
      return info.State.Running && info.State.Pid > 0 ? info.State.Pid : null;
    } catch {
      return null; // gone between list and inspect
    }
  }
}
