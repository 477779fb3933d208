import type { Namespace, Socket } from "socket.io";
import type { Actor } from "../auth/resolve-actor";
import { can } from "../auth/permissions";
import { isSameOrigin } from "../http/same-origin";
import type { Log } from "../log";
import type { HostRegistry } from "./host-registry";
import type { BrowserToServerEvents, ServerToBrowserEvents } from "./browser-events";

type SocketData = { actor: Actor };
export type BrowserNamespace = Namespace<BrowserToServerEvents, ServerToBrowserEvents, Record<string, never>, SocketData>;
type BrowserSocket = Socket<BrowserToServerEvents, ServerToBrowserEvents, Record<string, never>, SocketData>;

const FLEET_ROOM = "fleet";
const COALESCE_MS = 150;

export type BrowserGatewayDeps = {
  registry: HostRegistry;
  log: Log;
  /** Resolves the handshake's cookies to a user; null refuses the connection. */
  authenticate(headers: Headers): Promise<Actor | null>;
};

/**
 * The /live namespace: browsers get "fleet:changed" nudges and refetch what they show. The handshake
 * must come from our own origin with a valid session; rooms are joined by the server only.
 */
export function attachBrowserGateway(nsp: BrowserNamespace, deps: BrowserGatewayDeps): void {
  nsp.use(async (socket, next) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(socket.handshake.headers)) if (typeof v === "string") headers.set(k, v);
    if (!isSameOrigin(headers, "http://invalid/")) return next(new Error("cross-origin connection refused"));
    try {
      const actor = await deps.authenticate(headers);
      if (!actor) return next(new Error("unauthorized"));
      socket.data.actor = actor;
      next();
    } catch (err) {
      deps.log.warn({ err }, "live connection refused");
      next(new Error("unauthorized"));
    }
  });

  nsp.on("connection", (socket: BrowserSocket) => {
    if (can(socket.data.actor.role, "host:read")) void socket.join(FLEET_ROOM);
  });

  // Coalesce bursts (a snapshot of 500 containers, a storm of events) into one nudge per host.
  const pending = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | null = null;
  deps.registry.on("changed", (hostId, what) => {
    const set = pending.get(hostId) ?? new Set<string>();
    set.add(what);
    pending.set(hostId, set);
    timer ??= setTimeout(() => {
      timer = null;
      const batch = [...pending.entries()].map(([id, kinds]) => ({ hostId: id, kinds: [...kinds] }));
      pending.clear();
      nsp.to(FLEET_ROOM).emit("fleet:changed", batch);
    }, COALESCE_MS);
  });
}
