import type { Ack, LogBatch } from "../../protocol";
import { firstIssue } from "../../protocol/commands";
import { ZLogClose, ZLogOpen } from "../../protocol/logs";
import type { AgentFeature, AgentFeatureContext } from "../agent-feature";
import { ContainerFollower } from "./container-follower";
import { dockerLogSource, type LogSource, type LogTarget } from "./docker-log-source";
import { LogSubscription, type SendResult } from "./log-subscription";

const SEND_TIMEOUT_MS = 30_000;

/**
 * Container log streams for the server: "logs:open" starts a viewer's stream, "logs:close" ends it.
 * Every viewer of a container shares one Docker follow stream, stopped when the last one leaves. On
 * a lost link every stream ends here; the server re-opens them after reconnecting, from its cursor.
 */
export type LogsFeature = AgentFeature & {
  /** Docker follow streams open now (one per watched container, however many viewers). */
  followerCount(): number;
  subscriptionCount(): number;
};

export function logsFeature(deps: { source?: LogSource } = {}): LogsFeature {
  const subscriptions = new Map<string, LogSubscription>();
  const followers = new Map<string, ContainerFollower>();
  let ctx: AgentFeatureContext | null = null;

  const follower = (source: LogSource, target: LogTarget): ContainerFollower => {
    let f = followers.get(target.id);
    if (!f) {
      f = new ContainerFollower(source, target, ctx!.log, () => {
        if (followers.get(target.id) === f) followers.delete(target.id);
      });
      followers.set(target.id, f);
    }
    return f;
  };

  const send = async (batch: LogBatch): Promise<SendResult> => {
    if (!ctx?.isAuthenticated()) return "closed";
    try {
      const ack: Ack<null> = await ctx.socket.timeout(SEND_TIMEOUT_MS).emitWithAck("logs:batch", batch);
      return ack.ok ? "delivered" : "closed";
    } catch {
      return "closed"; // no ack in time: the viewer or the link is gone
    }
  };

  const closeAll = () => {
    for (const sub of [...subscriptions.values()]) sub.close();
  };

  return {
    name: "logs",
    followerCount: () => followers.size,
    subscriptionCount: () => subscriptions.size,
    start(context) {
      ctx = context;
      const source = deps.source ?? dockerLogSource(context.config.dockerHost);
      context.socket.on("logs:open", async (raw: unknown, ackFn: unknown) => {
        const ack = typeof ackFn === "function" ? (ackFn as (r: Ack<null>) => void) : () => undefined;
        const parsed = ZLogOpen.safeParse(raw);
        if (!parsed.success) return ack({ ok: false, error: { code: "BAD_REQUEST", message: `malformed logs:open: ${firstIssue(parsed.error)}` } });
        const { streamId, containerId, options } = parsed.data;
        if (subscriptions.has(streamId)) return ack({ ok: false, error: { code: "CONFLICT", message: "stream id in use" } });
        let target: LogTarget | null;
        try {
          target = await source.inspect(containerId);
        } catch (err) {
          return ack({ ok: false, error: { code: "DOCKER_ERROR", message: (err as Error).message.slice(0, 500) } });
        }
        if (!target) return ack({ ok: false, error: { code: "NOT_FOUND", message: `no container ${containerId} on this host` } });
        const sub = new LogSubscription(streamId, target, options, {
          source,
          follow: async (listener) => {
            const f = follower(source, target);
            await f.attach(listener);
            return () => f.detach(listener);
          },
          send,
          onClosed: () => subscriptions.delete(streamId),
        });
        subscriptions.set(streamId, sub);
        ack({ ok: true, data: null });
        sub.start().catch((err: Error) => {
          context.log.warn("log stream failed", { error: err.message });
          sub.close();
        });
      });
      context.socket.on("logs:close", (raw: unknown) => {
        const parsed = ZLogClose.safeParse(raw);
        if (parsed.success) subscriptions.get(parsed.data.streamId)?.close();
      });
    },
    disconnected: closeAll,
    stop() {
      closeAll();
      for (const f of [...followers.values()]) f.stop();
    },
  };
}
