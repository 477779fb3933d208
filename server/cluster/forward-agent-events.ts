import { z } from "zod";
import { ZCommandProgress, ZUploadRead, type CommandOutcomeReport, type CommandProgress, type UploadChunk, type UploadRead } from "../../agents/protocol";
import type { CommandService } from "../domain/commands/command-service";
import { AppError, type AppErrorCode } from "../errors";
import type { AgentEventHandler, RealtimeFeature } from "../realtime/realtime-feature";
import type { BusReply, ClusterBus } from "./cluster-bus";
import { agentEventEnds, agentEventKey, type StreamAffinity } from "./stream-affinity";

/** A log batch waits for the browser's ack (up to 30 s there); the hop adds a little. */
const FORWARD_TIMEOUT_MS = 35_000;

const ZForwarded = z.object({ event: z.string().max(64), hostId: z.string().max(128), message: z.unknown() });
const ZForwardedProgress = z.object({ hostId: z.string().max(128), progress: ZCommandProgress });
const ZForwardedUploadRead = z.object({ hostId: z.string().max(128), request: ZUploadRead });
const ZChunk = z.object({ data: z.base64(), eof: z.boolean() });

type Deps = { bus: ClusterBus; affinity: StreamAffinity };
export type GatewayCommands = Pick<CommandService, "links" | "settleReported" | "progress" | "readUpload">;

/**
 * The live features as the agent gateway of a replica sees them: an agent event about a stream
 * another replica opened (a log batch, terminal output) is handled there, where the stream and its
 * browser are, and its answer (the browser's ack, or an error) comes back as the reply to the agent.
 * Everything else runs here, as with one process.
 */
export function forwardingFeatures(features: RealtimeFeature[], deps: Deps): RealtimeFeature[] {
  const local = new Map<string, AgentEventHandler<unknown>>();
  for (const feature of features) for (const [event, handler] of Object.entries(feature.agentEvents ?? {})) local.set(event, handler);

  deps.bus.on("agent:event", async (body) => {
    const { event, hostId, message } = ZForwarded.parse(body);
    const handler = local.get(event);
    if (!handler) throw new AppError("NOT_FOUND", `no handler for ${event}`);
    const parsed = handler.schema.safeParse(message);
    if (!parsed.success) throw new AppError("BAD_REQUEST", `malformed forwarded ${event}`);
    return handler.handle(hostId, parsed.data);
  });

  return features.map((feature) => {
    if (!feature.agentEvents) return feature;
    const agentEvents: Record<string, AgentEventHandler<unknown>> = {};
    for (const [event, handler] of Object.entries(feature.agentEvents)) {
      agentEvents[event] = {
        schema: handler.schema,
        handle: async (hostId: string, message: unknown) => {
          const key = agentEventKey(event, message);
          const origin = key && deps.affinity.originOf(key);
          if (!key || !origin || origin === deps.bus.replicaId) return handler.handle(hostId, message);
          if (agentEventEnds(event, message)) deps.affinity.forget(key);
          return unwrap(await deps.bus.request(origin, "agent:event", { event, hostId, message }, FORWARD_TIMEOUT_MS));
        },
      };
    }
    return { ...feature, agentEvents };
  });
}

/** The command service as the agent gateway sees it: progress and upload reads go to the replica that sent the command. */
export function forwardingCommands(commands: GatewayCommands, deps: Deps): GatewayCommands {
  const originOf = (commandId: string) => {
    const origin = deps.affinity.originOf(agentEventKey("command:progress", { commandId }) ?? "");
    return origin && origin !== deps.bus.replicaId ? origin : null;
  };
  deps.bus.on("command:progress", (body) => {
    const { hostId, progress } = ZForwardedProgress.parse(body);
    commands.progress(hostId, progress);
  });
  deps.bus.on("upload:read", async (body) => {
    const { hostId, request } = ZForwardedUploadRead.parse(body);
    const chunk = await commands.readUpload(hostId, request);
    return { data: Buffer.from(chunk.data).toString("base64"), eof: chunk.eof }; // the bus speaks JSON
  });
  return {
    links: commands.links,
    settleReported: (hostId: string, report: CommandOutcomeReport) => commands.settleReported(hostId, report),
    progress(hostId: string, progress: CommandProgress) {
      const origin = originOf(progress.commandId);
      if (origin) deps.bus.send(origin, "command:progress", { hostId, progress });
      else commands.progress(hostId, progress);
    },
    async readUpload(hostId: string, request: UploadRead): Promise<UploadChunk> {
      const origin = originOf(request.commandId);
      if (!origin) return commands.readUpload(hostId, request);
      const chunk = ZChunk.parse(unwrap(await deps.bus.request(origin, "upload:read", { hostId, request }, FORWARD_TIMEOUT_MS)));
      return { data: new Uint8Array(Buffer.from(chunk.data, "base64")), eof: chunk.eof };
    },
  };
}

function unwrap(reply: BusReply): unknown {
  if (reply.ok) return reply.value;
  throw new AppError(reply.error.code as AppErrorCode, reply.error.message);
}
