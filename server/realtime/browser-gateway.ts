import type { Namespace, Socket } from "socket.io";
import { can, canSomewhere } from "../auth/access";
import { CLIENT_IP_HEADER } from "../auth/auth";
import type { Actor } from "../auth/resolve-actor";
import type { AccessChanges } from "../domain/access/access-changes";
import type { AuditEntry } from "../domain/audit/record-audit";
import type { DockerEventFeed } from "../domain/events/event-feed";
import type { DockerEventItem } from "../domain/events/event-item";
import type { HostView } from "../domain/hosts/host-views";
import { isSameOrigin } from "../http/same-origin";
import type { Log } from "../log";
import type { HostRegistry } from "./host-registry";
import type { OperationProgress, OperationProgressHub } from "./operation-progress";
import {
  BROWSER_EVENT_POLICY,
  type BrowserEventName,
  type BrowserToServerEvents,
  type EventAck,
  type ServerToBrowserEvents,
} from "./browser-events";

import type { BrowserEventHandler, BrowserSocket, BrowserSocketData, RealtimeFeature } from "./realtime-feature";

export type BrowserNamespace = Namespace<BrowserToServerEvents, ServerToBrowserEvents, Record<string, never>, BrowserSocketData>;

const FLEET_ROOM = "fleet";
const hostRoom = (hostId: string) => `host:${hostId}`;
const EVENTS_FLEET_ROOM = "events:fleet";
const eventsHostRoom = (hostId: string) => `events:host:${hostId}`;
// The shortest gap between two flushes: a burst's changes within it go out as one list.
const COALESCE_MS = 40;

export type BrowserGatewayDeps = {
  registry: HostRegistry;
  log: Log;
  accessChanges: AccessChanges;
  /** Resolves a handshake's cookies (or bearer token) to a caller with fresh access; null = no longer valid. */
  authenticate(headers: Headers, address: string | null): Promise<Actor | null>;
  audit(entry: AuditEntry): Promise<unknown>;
  /** The client's address from the handshake (socket peer, or a trusted proxy's forwarded one). */
  clientAddress(handshake: { address: string; headers: Record<string, string | string[] | undefined> }): string | null;
  operations?: OperationProgressHub;
  /** Newly stored engine events (default: the feed shared through the registry). */
  dockerEvents: DockerEventFeed;
  /** How often every socket's caller is re-checked even without a change event (session expiry). */
  recheckMs?: number;
  /** Live features owning further events (logs, terminals, metrics…). */
  features?: RealtimeFeature[];
  /** The new state of changed hosts, pushed with "fleet:changed" (without it, browsers refetch). */
  hostViews?(hostIds: readonly string[]): Promise<Map<string, HostView>>;
};

/**
 * The /live namespace. The handshake must come from our own origin with a valid session. After that,
 * every event is authorised on its own (the caller is re-resolved each time, so a revoked session
 * cannot keep acting), rooms are joined only here, and any change to anyone's access re-checks every
 * socket: lost subscriptions end with "stream:ended", dead sessions with "session:ended".
 * Connection-state recovery is off, so a reconnect always passes the handshake again.
 */
export function attachBrowserGateway(nsp: BrowserNamespace, deps: BrowserGatewayDeps): () => void {
  const features = deps.features ?? [];
  nsp.use(async (socket, next) => {
    const headers = handshakeHeaders(socket as unknown as BrowserSocket);
    if (!isSameOrigin(headers, "http://invalid/")) return next(new Error("cross-origin connection refused"));
    try {
      const address = deps.clientAddress(socket.handshake);
      const actor = await deps.authenticate(headers, address);
      if (!actor) return next(new Error("unauthorized"));
      socket.data = { actor, headers, address };
      next();
    } catch (err) {
      deps.log.warn({ err }, "live connection refused");
      next(new Error("unauthorized"));
    }
  });

  nsp.on("connection", (socket: BrowserSocket) => {
    for (const event of Object.keys(BROWSER_EVENT_POLICY) as BrowserEventName[]) {
      (socket as unknown as Socket).on(event, (payload: unknown, ack: unknown) => void handle(socket, event, payload, ack));
    }
    socket.onAny((event: string) => {
      if (!Object.hasOwn(BROWSER_EVENT_POLICY, event)) deps.log.warn({ event, user: socket.data.actor.email }, "unknown browser event refused");
    });
    socket.on("disconnect", () => {
      for (const feature of features) feature.browserDisconnected?.(socket);
    });
  });

  async function handle(socket: BrowserSocket, event: BrowserEventName, payload: unknown, ackFn: unknown): Promise<void> {
    const ack = typeof ackFn === "function" ? (ackFn as (r: EventAck<unknown>) => void) : () => undefined;
    const policy = BROWSER_EVENT_POLICY[event];
    const parsed = policy.schema.safeParse(payload ?? undefined);
    if (!parsed.success) return ack({ ok: false, error: { code: "BAD_REQUEST", message: `${event}: ${parsed.error.issues[0]?.message ?? "invalid payload"}` } });
    const actor = await refresh(socket);
    if (!actor) return ack({ ok: false, error: { code: "UNAUTHORIZED", message: "your session has ended" } });
    const hostId = (parsed.data as { hostId?: string } | undefined)?.hostId ?? null;
    const allowed =
      policy.scope === "authenticated" ? true
      : policy.scope === "list" ? (hostId ? can(actor.access, policy.permission, hostId) : canSomewhere(actor.access, policy.permission))
      : can(actor.access, policy.permission, hostId);
    if (!allowed) {
      const permission = "permission" in policy ? policy.permission : "";
      await deps.audit({ actorId: actor.id, actor: actor.email, sourceIp: socket.data.address, hostId, action: "authz.denied", target: `live:${event}`, params: { permission }, result: "denied" }).catch((err) => deps.log.error({ err }, "audit write failed"));
      return ack({ ok: false, error: { code: "FORBIDDEN", message: `you lack ${permission}${hostId ? ` on host ${hostId}` : ""}` } });
    }
    switch (event as string) { // core events here; the rest belong to features

      case "fleet:subscribe":
        await socket.join(FLEET_ROOM);
        return ack({ ok: true, data: { hosts: actor.access.everywhere.has("host:read") ? deps.registry.all().length : actor.access.hosts.size } });
      case "fleet:unsubscribe":
        await socket.leave(FLEET_ROOM);
        return ack({ ok: true, data: null });
      case "host:subscribe":
        await socket.join(hostRoom(hostId!));
        return ack({ ok: true, data: { hostId: hostId! } });
      case "host:unsubscribe":
        await socket.leave(hostRoom(hostId!));
        return ack({ ok: true, data: null });
      case "events:subscribe":
        await socket.join(hostId ? eventsHostRoom(hostId) : EVENTS_FLEET_ROOM);
        return ack({ ok: true, data: { hostId } });
      case "events:unsubscribe":
        await socket.leave(hostId ? eventsHostRoom(hostId) : EVENTS_FLEET_ROOM);
        return ack({ ok: true, data: null });
    }
    const handler = features.map((f) => f.browserEvents?.[event]).find((h) => h !== undefined) as BrowserEventHandler | undefined;
    if (!handler) return ack({ ok: false, error: { code: "UNAVAILABLE", message: `${event} is not served here` } });
    try {
      return ack(await handler({ socket, actor, hostId, data: parsed.data }));
    } catch (err) {
      deps.log.error({ err, event }, "live event failed");
      return ack({ ok: false, error: { code: "INTERNAL", message: `${event} failed` } });
    }
  }

  /** Re-resolves the socket's caller; a caller who is no longer valid is told and disconnected. */
  async function refresh(socket: BrowserSocket): Promise<Actor | null> {
    let actor: Actor | null = null;
    try {
      actor = await deps.authenticate(socket.data.headers, socket.data.address);
    } catch {
      actor = null;
    }
    if (!actor || actor.id !== socket.data.actor.id) {
      socket.emit("session:ended", { reason: "your session has ended or your account was disabled" });
      setTimeout(() => socket.disconnect(true), 20);
      return null;
    }
    socket.data.actor = actor;
    return actor;
  }

  /** Drops every subscription the socket's caller no longer holds. */
  async function recheck(socket: BrowserSocket): Promise<void> {
    const actor = await refresh(socket);
    if (!actor) return;
    for (const room of socket.rooms) {
      if (room === socket.id) continue;
      const hostId = room.startsWith("host:") ? room.slice(5) : room.startsWith("events:host:") ? room.slice(12) : null;
      const still = hostId ? can(actor.access, "host:read", hostId) : canSomewhere(actor.access, "host:read");
      if (still) continue;
      await socket.leave(room);
      socket.emit("stream:ended", { stream: room, reason: "your access to it was removed" });
    }
    for (const feature of features) await feature.recheckBrowser?.(socket, actor);
  }

  const recheckAll = () => {
    for (const socket of nsp.sockets.values()) void recheck(socket as BrowserSocket).catch((err) => deps.log.error({ err }, "access recheck failed"));
  };
  const onAccessChanged = () => {
    recheckAll();
    nsp.emit("access:changed");
  };
  deps.accessChanges.on("changed", onAccessChanged);
  const sweep = setInterval(recheckAll, deps.recheckMs ?? 15_000);
  sweep.unref();

  // Coalesce bursts (a snapshot of 500 containers, a storm of events) into one change list per
  // socket, filtered to the hosts that socket's caller may read, each with the host's new state read
  // once for every socket (and not at all for hosts no socket watches). One flush at a time, so lists
  // arrive in order.
  // At most one flush per COALESCE_MS: a change after a quiet spell goes out on the next turn of the
  // loop (with whatever else that turn brought), one during a burst waits for the window to end.
  const pending = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | null = null;
  let lastFlushAt = -Infinity;
  let flushing: Promise<void> = Promise.resolve();
  const onChanged = (hostId: string, what: string) => {
    const set = pending.get(hostId) ?? new Set<string>();
    set.add(what);
    pending.set(hostId, set);
    timer ??= setTimeout(() => {
      lastFlushAt = performance.now();
      // Caught here: a rejected chain would skip every later flush, and live updates would stop.
      flushing = flushing.then(flush).catch((err: unknown) => deps.log.error({ err }, "fleet change flush failed"));
    }, Math.max(0, lastFlushAt + COALESCE_MS - performance.now()));
  };
  async function flush() {
    timer = null;
    const batch = [...pending.entries()].map(([id, kinds]) => ({ hostId: id, kinds: [...kinds] }));
    pending.clear();
    const sockets = [...nsp.sockets.values()];
    const watched = batch.filter((c) => sockets.some((s) => s.rooms.has(FLEET_ROOM) || s.rooms.has(hostRoom(c.hostId))));
    const views = watched.length ? await readViews(watched.map((c) => c.hostId)) : new Map<string, HostView>();
    for (const socket of sockets) {
      const access = socket.data.actor.access;
      const visible = watched
        .filter((c) => (socket.rooms.has(FLEET_ROOM) || socket.rooms.has(hostRoom(c.hostId))) && can(access, "host:read", c.hostId))
        .map((c) => withView(c, views.get(c.hostId), can(access, "container:read", c.hostId)));
      if (visible.length) socket.emit("fleet:changed", visible);
    }
  }
  async function readViews(hostIds: string[]): Promise<Map<string, HostView>> {
    if (!deps.hostViews) return new Map();
    return deps.hostViews(hostIds).catch((err: unknown) => {
      deps.log.warn({ err }, "could not read changed hosts; browsers will refetch them");
      return new Map<string, HostView>();
    });
  }
  deps.registry.on("changed", onChanged);

  // Progress goes to every socket whose caller may read the host (no subscription needed).
  const onProgress = (progress: OperationProgress) => {
    for (const socket of nsp.sockets.values()) if (can(socket.data.actor.access, "host:read", progress.hostId)) socket.emit("operation:progress", progress);
  };
  deps.operations?.on("progress", onProgress);

  // Engine events go to sockets subscribed to them (fleet-wide or per host), only for hosts the caller may read.
  const { dockerEvents } = deps;
  const onDockerEvents = (items: DockerEventItem[]) => {
    for (const socket of nsp.sockets.values()) {
      const access = socket.data.actor.access;
      const fleet = socket.rooms.has(EVENTS_FLEET_ROOM);
      const visible = items.filter((e) => (fleet || socket.rooms.has(eventsHostRoom(e.hostId))) && can(access, "host:read", e.hostId));
      if (visible.length) socket.emit("docker:events", visible);
    }
  };
  dockerEvents.on("stored", onDockerEvents);

  return () => {
    dockerEvents.off("stored", onDockerEvents);
    deps.operations?.off("progress", onProgress);
    clearInterval(sweep);
    if (timer) clearTimeout(timer);
    deps.accessChanges.off("changed", onAccessChanged);
    deps.registry.off("changed", onChanged);
  };
}

function handshakeHeaders(socket: BrowserSocket): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(socket.handshake.headers)) if (typeof v === "string") headers.set(k, v);
  headers.delete(CLIENT_IP_HEADER); // only the server sets it
  return headers;
}

/** A change with the host's state for a caller who may read it (its containers only with container:read). */
function withView(change: { hostId: string; kinds: string[] }, view: HostView | undefined, containers: boolean) {
  if (!view) return change;
  return containers ? { ...change, host: view.host, containers: view.containers } : { ...change, host: view.host };
}
