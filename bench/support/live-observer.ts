import { performance } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";

type Listed = { id: string; state: string }[];
type Waiter = { id: string; state: string; since: number; resolve(seen: Seen): void };
/** When (performance.now()) the nudge that led to the sighting arrived, and when the refetch showed it. */
export type Seen = { nudgeAt: number; visibleAt: number };

/**
 * What a browser tab does on the container list: one socket on /live with the session cookie and an
 * Origin header, `fleet:subscribe`, and on every `fleet:changed` nudge a refetch of containers.list
 * (app/_components/live.tsx). `until()` resolves when a refetch caused by a nudge that arrived after
 * `since` shows the container in the wanted state.
 */
export class LiveObserver {
  lastNudgeAt = 0;
  nudges = 0;
  private waiters = new Set<Waiter>();

  private constructor(
    private readonly socket: Socket,
    private readonly list: () => Promise<Listed>,
  ) {
    socket.on("fleet:changed", () => {
      const nudgeAt = performance.now();
      this.lastNudgeAt = nudgeAt;
      this.nudges += 1;
      void this.refetch(nudgeAt);
    });
  }

  static async connect(opts: { url: string; cookie: string; list: () => Promise<Listed> }): Promise<LiveObserver> {
    const socket = io(`${opts.url}/live`, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie: opts.cookie, origin: opts.url } });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    const ack = (await socket.timeout(5_000).emitWithAck("fleet:subscribe", {})) as { ok: boolean; error?: { message: string } };
    if (!ack.ok) throw new Error(`fleet:subscribe refused: ${ack.error?.message}`);
    return new LiveObserver(socket, opts.list);
  }

  until(id: string, state: string, since: number, timeoutMs: number): Promise<Seen> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`the live view did not show ${id.slice(0, 12)} as ${state} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = { id, state, since, resolve: (seen) => (clearTimeout(timer), this.waiters.delete(waiter), resolve(seen)) };
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.socket.disconnect();
  }

  private async refetch(nudgeAt: number): Promise<void> {
    if (this.waiters.size === 0) return;
    const containers = await this.list();
    const visibleAt = performance.now();
    for (const w of this.waiters) {
      if (w.since <= nudgeAt && containers.find((c) => c.id === w.id)?.state === w.state) w.resolve({ nudgeAt, visibleAt });
    }
  }
}
