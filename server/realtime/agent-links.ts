import type { Socket } from "socket.io";
import type { AgentQuery, AgentToServerEvents, ServerToAgentEvents, SignedCommand } from "../../agents/protocol";

export type LinkSocket = Socket<AgentToServerEvents, ServerToAgentEvents, Record<string, never>, { hostId?: string }>;

/** How a request over a link ended: the agent's (unparsed) reply, no reply in time, or the link gone first. */
export type LinkResult = { kind: "reply"; reply: unknown } | { kind: "timeout" } | { kind: "dropped" };

export type AgentEventName = keyof ServerToAgentEvents;

/** The socket.io room of a host's agent connection (one per host, across every replica). */
export const agentRoom = (hostId: string) => `agent:${hostId}`;

/**
 * Where requests go when several replicas share the fleet (server/cluster): it answers from this
 * replica's own sockets or forwards to the replica holding the host. Same contract as AgentLinks.
 */
export interface LinkRouter {
  isOnline(hostId: string): boolean;
  ask(hostId: string, event: AgentEventName, payload: unknown, timeoutMs: number, onLateReply: (reply: unknown) => void): Promise<LinkResult> | null;
  emit(hostId: string, event: AgentEventName, payload: unknown): boolean;
}

/**
 * The one live, authenticated socket of each host, filled by the agent gateway. Commands reach
 * agents only through here, so "offline" means exactly "no authenticated socket right now".
 */
export class AgentLinks {
  private readonly sockets = new Map<string, LinkSocket>();
  /** Requests waiting on each socket; one disconnect listener per socket ends them all. */
  private readonly waiting = new WeakMap<LinkSocket, Set<() => void>>();
  private router: LinkRouter | null = null;

  /** With replicas, every request goes through the router (which uses the local* methods for hosts held here). */
  route(router: LinkRouter): void {
    this.router = router;
  }

  /** The newest connection of a host wins: an older one is closed first. */
  attach(hostId: string, socket: LinkSocket): void {
    this.sockets.get(hostId)?.disconnect(true);
    this.sockets.set(hostId, socket);
    // With replicas (Redis adapter) an older connection of the host may sit on another replica: close it there too.
    const room = agentRoom(hostId);
    void socket.join(room);
    socket.nsp.in(room).except(socket.id).disconnectSockets(true);
    const waiting = new Set<() => void>();
    this.waiting.set(socket, waiting);
    socket.once("disconnect", () => waiting.forEach((drop) => drop()));
  }

  /** False when the socket was not (or no longer) the host's current one. */
  detach(hostId: string, socket: LinkSocket): boolean {
    if (this.sockets.get(hostId) !== socket) return false;
    this.sockets.delete(hostId);
    return true;
  }

  disconnect(hostId: string): void {
    this.sockets.get(hostId)?.disconnect(true);
  }

  isOnline(hostId: string): boolean {
    return this.router ? this.router.isOnline(hostId) : this.isLocal(hostId);
  }

  /** The host's agent is connected to this very process. */
  isLocal(hostId: string): boolean {
    return this.sockets.get(hostId)?.connected === true;
  }

  /**
   * Sends one command and waits for its ack. Null when the host is offline (nothing was sent).
   * A reply arriving after the timeout still reaches onLateReply: it settles an "unknown" command.
   */
  request(hostId: string, command: SignedCommand, timeoutMs: number, onLateReply: (reply: unknown) => void): Promise<LinkResult> | null {
    return this.ask(hostId, "command:run", command, timeoutMs, onLateReply);
  }

  /** Sends one read to the host's agent; null when offline. A late answer to a read is simply dropped. */
  query(hostId: string, query: AgentQuery, timeoutMs: number): Promise<LinkResult> | null {
    return this.ask(hostId, "query:run", query, timeoutMs, () => undefined);
  }

  /** Fire-and-forget to the host's agent (live features); false when offline. */
  emit(hostId: string, event: keyof ServerToAgentEvents, payload: unknown): boolean {
    return this.router ? this.router.emit(hostId, event, payload) : this.localEmit(hostId, event, payload);
  }

  localEmit(hostId: string, event: keyof ServerToAgentEvents, payload: unknown): boolean {
    const socket = this.sockets.get(hostId);
    if (!socket?.connected) return false;
    (socket.emit as (e: string, p: unknown) => void)(event, payload);
    return true;
  }

  /** Any acknowledged event to the host's agent (live features); null when offline. */
  send(hostId: string, event: keyof ServerToAgentEvents, payload: unknown, timeoutMs: number): Promise<LinkResult> | null {
    return this.ask(hostId, event, payload, timeoutMs, () => undefined);
  }

  private ask(hostId: string, event: keyof ServerToAgentEvents, payload: SignedCommand | AgentQuery | unknown, timeoutMs: number, onLateReply: (reply: unknown) => void): Promise<LinkResult> | null {
    return this.router ? this.router.ask(hostId, event, payload, timeoutMs, onLateReply) : this.localAsk(hostId, event, payload, timeoutMs, onLateReply);
  }

  /** An acknowledged event to a socket of this process; null when the host is not connected here. */
  localAsk(hostId: string, event: keyof ServerToAgentEvents, payload: unknown, timeoutMs: number, onLateReply: (reply: unknown) => void): Promise<LinkResult> | null {
    const socket = this.sockets.get(hostId);
    const waiting = socket && this.waiting.get(socket);
    if (!socket?.connected || !waiting) return null;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: LinkResult) => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        waiting.delete(onDrop);
        resolve(result);
        return true;
      };
      const onDrop = () => finish({ kind: "dropped" });
      const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
      waiting.add(onDrop);
      (socket.emit as (e: string, p: unknown, ack: (reply: unknown) => void) => void)(event, payload, (reply: unknown) => {
        if (!finish({ kind: "reply", reply })) onLateReply(reply);
      });
    });
  }
}
