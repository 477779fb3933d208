import crypto from "node:crypto";
import { z } from "zod";
import { ZMetricsWatch, type MetricsWatch } from "../../agents/protocol";
import { AppError } from "../errors";
import type { Log } from "../log";
import type { AgentEventName, AgentLinks, LinkResult, LinkRouter } from "../realtime/agent-links";
import type { ClusterBus } from "./cluster-bus";
import type { ClusteredRegistry } from "./clustered-registry";
import type { StreamAffinity } from "./stream-affinity";

/** How long a replica keeps the late-reply handler of a routed request that timed out. */
const LATE_REPLY_WINDOW_MS = 10 * 60_000;
/** Slack for the round trip through Redis on top of the agent's own timeout. */
const ROUTE_SLACK_MS = 5_000;

const ZEventName = z.enum(["command:run", "query:run", "logs:open", "logs:close", "terminal:open", "terminal:input", "terminal:resize", "terminal:close", "metrics:watch"]);
const ZAsk = z.object({ hostId: z.string().max(128), event: ZEventName, payload: z.unknown(), timeoutMs: z.number().int().positive().max(24 * 3600_000), lateId: z.string().max(64) });
const ZEmit = z.object({ hostId: z.string().max(128), event: ZEventName, payload: z.unknown() });
const ZLate = z.object({ lateId: z.string().max(64), reply: z.unknown() });
const ZLinkResult = z.discriminatedUnion("kind", [z.object({ kind: z.literal("reply"), reply: z.unknown() }), z.object({ kind: z.literal("timeout") }), z.object({ kind: z.literal("dropped") })]);

/**
 * Routes requests for agents across replicas: a host connected here is served from this replica's
 * socket, any other host through the replica holding it (the registry knows which). The contract is
 * AgentLinks': null when offline, else reply / timeout / dropped, and a reply arriving after the
 * timeout still reaches onLateReply (it settles an "unknown" command), wherever it was sent from.
 */
export class ClusterLinkRouter implements LinkRouter {
  private readonly late = new Map<string, { onLateReply: (reply: unknown) => void; expires: number }>();
  /** Per host held here: the metrics detail each replica's browsers want; the agent gets their union. */
  private readonly watches = new Map<string, Map<string, MetricsWatch>>();

  constructor(
    private readonly deps: { links: AgentLinks; registry: ClusteredRegistry; bus: ClusterBus; affinity: StreamAffinity; log: Log },
  ) {
    const { bus } = deps;
    bus.on("link:ask", (body, from) => this.serveAsk(ZAsk.parse(body), from));
    bus.on("link:emit", (body, from) => {
      const msg = ZEmit.parse(body);
      this.emitHere(msg.hostId, msg.event, msg.payload, from);
    });
    bus.on("link:late", (body) => {
      const { lateId, reply } = ZLate.parse(body);
      const waiting = this.late.get(lateId);
      this.late.delete(lateId);
      waiting?.onLateReply(reply);
    });
  }

  isOnline(hostId: string): boolean {
    return this.deps.links.isLocal(hostId) || this.remoteHolder(hostId) !== null;
  }

  ask(hostId: string, event: AgentEventName, payload: unknown, timeoutMs: number, onLateReply: (reply: unknown) => void): Promise<LinkResult> | null {
    const { links, bus } = this.deps;
    if (links.isLocal(hostId)) return links.localAsk(hostId, event, payload, timeoutMs, onLateReply);
    const holder = this.remoteHolder(hostId);
    if (!holder) return null;
    this.sweepLate();
    const lateId = crypto.randomBytes(9).toString("base64url");
    this.late.set(lateId, { onLateReply, expires: Date.now() + timeoutMs + LATE_REPLY_WINDOW_MS });
    return bus.request(holder, "link:ask", { hostId, event, payload, timeoutMs, lateId }, timeoutMs + ROUTE_SLACK_MS).then((answer) => {
      const parsed = answer.ok ? ZLinkResult.safeParse(answer.value) : null;
      // The holder went away or no longer has the agent: for the caller that is the link dropping.
      const result: LinkResult = parsed?.success ? (parsed.data as LinkResult) : { kind: "dropped" };
      if (result.kind !== "timeout") this.late.delete(lateId);
      return result;
    });
  }

  emit(hostId: string, event: AgentEventName, payload: unknown): boolean {
    if (this.deps.links.isLocal(hostId)) return this.emitHere(hostId, event, payload, this.deps.bus.replicaId);
    const holder = this.remoteHolder(hostId);
    if (!holder) return false;
    this.deps.bus.send(holder, "link:emit", { hostId, event, payload });
    return true;
  }

  /** The host left this replica (or its holder changed): what other replicas asked of it here is void. */
  hostLeft(hostId: string): void {
    this.watches.delete(hostId);
    this.deps.affinity.dropHost(hostId);
  }

  replicaGone(replicaId: string): void {
    this.deps.affinity.dropOrigin(replicaId);
    for (const [hostId, byReplica] of this.watches) if (byReplica.delete(replicaId)) this.sendWatch(hostId);
  }

  private remoteHolder(hostId: string): string | null {
    const holder = this.deps.registry.holder(hostId);
    return holder && holder !== this.deps.bus.replicaId ? holder : null;
  }

  /** On the holder: run another replica's request on the local socket, remembering who opened what. */
  private async serveAsk(msg: z.infer<typeof ZAsk>, from: string): Promise<LinkResult> {
    const { links, affinity, bus } = this.deps;
    if (!links.isLocal(msg.hostId)) throw new AppError("NOT_FOUND", "the host's agent is not connected to this replica");
    const key = affinity.noteOpened(msg.hostId, msg.event, msg.payload, from);
    const sent = links.localAsk(msg.hostId, msg.event, msg.payload, msg.timeoutMs, (reply) => bus.send(from, "link:late", { lateId: msg.lateId, reply }));
    if (!sent) {
      if (key) affinity.forget(key);
      return { kind: "dropped" };
    }
    const result = await sent;
    // A command's progress and upload reads stop with its reply; a stream lives on after its open.
    if (key && (msg.event === "command:run" || result.kind !== "reply")) affinity.forget(key);
    return result;
  }

  private emitHere(hostId: string, event: AgentEventName, payload: unknown, origin: string): boolean {
    this.deps.affinity.noteClosed(event, payload);
    if (event !== "metrics:watch") return this.deps.links.localEmit(hostId, event, payload);
    const watch = ZMetricsWatch.safeParse(payload);
    if (!watch.success) return false;
    const byReplica = this.watches.get(hostId) ?? new Map<string, MetricsWatch>();
    byReplica.set(origin, watch.data);
    this.watches.set(hostId, byReplica);
    return this.sendWatch(hostId);
  }

  /** Every replica's browsers get what they watch: the union of ids, the shortest interval. */
  private sendWatch(hostId: string): boolean {
    const all = [...(this.watches.get(hostId)?.values() ?? [])];
    if (!all.length) return false;
    const union: MetricsWatch = {
      containerIds: [...new Set(all.flatMap((w) => w.containerIds))].sort(),
      allDetail: all.some((w) => w.allDetail),
      intervalSeconds: Math.min(...all.map((w) => w.intervalSeconds)),
    };
    return this.deps.links.localEmit(hostId, "metrics:watch", union);
  }

  private sweepLate(): void {
    const now = Date.now();
    for (const [id, entry] of this.late) if (entry.expires < now) this.late.delete(id);
  }
}
