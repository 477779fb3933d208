import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../../server/trpc/router";
import type { ServerProcess } from "./prod-server";
import type { SimFleet } from "./sim-fleet";
import { pcts, type Pcts } from "./sim-fleet-measure";

export type StormKind = "sigterm" | "sigkill";

export type StormResult = {
  kind: StormKind;
  agents: number;
  /** Stop signal → the new server answers /api/health. */
  restartMs: number;
  /** Stop signal → the last agent authenticated and had its snapshot acknowledged. */
  allResyncedMs: number;
  resynced: number;
  /** When agents resynced, ms after the new server was up (the jitter's spread). */
  resyncAfterUpMs: Pcts;
  /** Most agents resynced within one second. */
  peakPerSecond: number;
  /** hosts.list polled every second from the new server being up until all resynced. */
  listPolls: number;
  /** Most hosts hosts.list showed offline in one poll ("presence", or `online: false` where presence is absent). */
  maxOfflineShown: number;
  presenceCounts: Record<string, number>;
  presenceField: boolean;
};

/**
 * Stops the server (SIGTERM: graceful; SIGKILL: crash) with every agent connected, starts it again
 * on the same port and database, and measures how the agents come back on their own schedule.
 */
export async function reconnectStorm(opts: {
  kind: StormKind;
  server: ServerProcess;
  fleets: SimFleet[];
  cookie: string;
  agents: number;
  startAgain(): Promise<ServerProcess>;
}): Promise<{ server: ServerProcess; result: StormResult }> {
  const { fleets, agents } = opts;
  const connected = fleets.reduce((a, f) => a + f.connected, 0);
  // Agents the server had dropped before the storm still come back on their own: all count.
  if (connected !== agents) console.log(`storm ${opts.kind}: ${connected} of ${agents} agents connected before the restart`);
  console.log(`storm ${opts.kind}: stopping the server with ${connected} agents connected…`);
  const resyncedBefore = fleets.map((f) => f.resynced.length);
  const tStop = Date.now();
  if (opts.kind === "sigterm") await opts.server.process.stop();
  else {
    process.kill(-opts.server.pid, "SIGKILL");
    await opts.server.process.exited;
  }
  const server = await opts.startAgain();
  const tUp = Date.now();
  console.log(`storm ${opts.kind}: server back after ${tUp - tStop} ms`);

  const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/api/trpc`, headers: { cookie: opts.cookie, origin: server.url } })] });
  const firstBack = new Map<number, number>();
  let maxOffline = 0;
  let polls = 0;
  let presenceField = false;
  const presenceCounts: Record<string, number> = {};
  const deadline = tStop + 120_000;
  for (;;) {
    fleets.forEach((f, i) => {
      for (const r of f.resynced.slice(resyncedBefore[i])) if (!firstBack.has(r.index)) firstBack.set(r.index, r.at);
    });
    if (firstBack.size >= agents || Date.now() > deadline) break;
    const pollAt = Date.now();
    try {
      const hosts = (await trpc.hosts.list.query()) as { online: boolean; presence?: string }[];
      polls++;
      presenceField ||= hosts.some((h) => h.presence !== undefined);
      const offline = hosts.filter((h) => (h.presence !== undefined ? h.presence === "offline" : !h.online)).length;
      maxOffline = Math.max(maxOffline, offline);
      for (const h of hosts) {
        const p = h.presence ?? (h.online ? "online" : "offline");
        presenceCounts[p] = Math.max(presenceCounts[p] ?? 0, hosts.filter((x) => (x.presence ?? (x.online ? "online" : "offline")) === p).length);
      }
    } catch (err) {
      console.log(`storm ${opts.kind}: hosts.list failed: ${(err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - pollAt))));
  }
  const times = [...firstBack.values()];
  const perSecond = new Map<number, number>();
  for (const at of times) perSecond.set(Math.floor((at - tUp) / 1000), (perSecond.get(Math.floor((at - tUp) / 1000)) ?? 0) + 1);
  return {
    server,
    result: {
      kind: opts.kind,
      agents,
      restartMs: tUp - tStop,
      allResyncedMs: firstBack.size >= agents ? Math.max(...times) - tStop : Infinity,
      resynced: firstBack.size,
      resyncAfterUpMs: pcts(times.map((t) => t - tUp)),
      peakPerSecond: Math.max(0, ...perSecond.values()),
      listPolls: polls,
      maxOfflineShown: maxOffline,
      presenceCounts,
      presenceField,
    },
  };
}

export const STORM_HEADER = ["storm", "agents", "restart ms", "all resynced ms", "resynced", "after up p50/p95/max ms", "peak/s", "polls", "max offline shown", "presence"];

export function stormRow(r: StormResult): string[] {
  const a = r.resyncAfterUpMs;
  return [r.kind, String(r.agents), String(r.restartMs), String(r.allResyncedMs), String(r.resynced), `${a.p50}/${a.p95}/${a.max}`, String(r.peakPerSecond), String(r.listPolls), String(r.maxOfflineShown), r.presenceField ? "field" : "online flag"];
}
