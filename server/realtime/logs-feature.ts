import { ZLogBatch, ZLogOptions, type LogBatch, type LogSubscribe } from "../../agents/protocol/logs";
import { can } from "../auth/access";
import type { LogRelay } from "../domain/logs/log-relay";
import type { Services } from "../services";
import { defineFeature, type BrowserSocket } from "./realtime-feature";

const BROWSER_ACK_TIMEOUT_MS = 30_000;

/**
 * Live container logs for browsers. The gateway has already checked logs:read on the host named in
 * "logs:subscribe"; here the container must be one the server knows on that host. A socket can only
 * end its own streams; streams end when the socket goes or its caller loses logs:read there.
 */
export function logsFeature(services: Services, relay: LogRelay = services.logs.relay) {
  const bySocket = new Map<string, Map<string, { hostId: string }>>();

  const forget = (socket: BrowserSocket, streamId: string) => bySocket.get(socket.id)?.delete(streamId);

  const browserSink = (socket: BrowserSocket, streamIdRef: { id: string }, acked: Promise<void>) => ({
    async deliver(batch: LogBatch): Promise<boolean> {
      await acked; // the browser learns the stream id from the subscribe ack: never send a batch before it
      if (!socket.connected) return false;
      try {
        await socket.timeout(BROWSER_ACK_TIMEOUT_MS).emitWithAck("logs:batch", batch);
        if (batch.end) forget(socket, streamIdRef.id);
        return true;
      } catch {
        return false; // the tab did not take it in time: end the stream rather than buffer without bound
      }
    },
  });

  return defineFeature({
    name: "logs",
    agentEvents: {
      "logs:batch": { schema: ZLogBatch, handle: (hostId: string, batch: LogBatch) => relay.fromAgent(hostId, batch).then(() => null) },
    },
    browserEvents: {
      "logs:subscribe": async ({ socket, data }) => {
        const { hostId, containerId, options } = data as LogSubscribe;
        const known = services.registry.get(hostId);
        const container = known && [...known.containers.values()].find((c) => c.id.startsWith(containerId) || c.name === containerId);
        if (!container) return { ok: false, error: { code: "NOT_FOUND", message: `no container ${containerId} on host ${hostId}` } };
        const ref = { id: "" };
        let ackSent = () => {};
        const acked = new Promise<void>((resolve) => (ackSent = resolve));
        // The gateway acks as soon as this handler returns; socket.io keeps a socket's packets in order.
        const releaseAfterAck = () => setImmediate(ackSent);
        const opened = await relay.open({ hostId, containerId: container.id, options: options ?? ZLogOptions.parse({}), sink: browserSink(socket, ref, acked) });
        if (!opened.ok) return { ok: false, error: { code: opened.code, message: opened.message } };
        releaseAfterAck();
        ref.id = opened.streamId;
        if (!socket.connected) {
          relay.close(opened.streamId);
          return { ok: false, error: { code: "GONE", message: "socket closed" } };
        }
        const mine = bySocket.get(socket.id) ?? new Map<string, { hostId: string }>();
        mine.set(opened.streamId, { hostId });
        bySocket.set(socket.id, mine);
        return { ok: true, data: { streamId: opened.streamId } };
      },
      "logs:unsubscribe": async ({ socket, data }) => {
        const { streamId } = data as { streamId: string };
        if (!bySocket.get(socket.id)?.has(streamId)) return { ok: false, error: { code: "NOT_FOUND", message: "not a stream of this connection" } };
        relay.close(streamId);
        forget(socket, streamId);
        return { ok: true, data: null };
      },
    },
    recheckBrowser(socket, actor) {
      for (const [streamId, { hostId }] of bySocket.get(socket.id) ?? []) {
        if (can(actor.access, "logs:read", hostId)) continue;
        relay.close(streamId);
        forget(socket, streamId);
        socket.emit("logs:batch", { streamId, items: [], end: { reason: "your access to these logs was removed" } }, () => undefined);
        socket.emit("stream:ended", { stream: `logs:${streamId}`, reason: "your access to these logs was removed" });
      }
    },
    browserDisconnected(socket) {
      for (const streamId of bySocket.get(socket.id)?.keys() ?? []) relay.close(streamId);
      bySocket.delete(socket.id);
    },
    agentConnected: (hostId) => relay.agentConnected(hostId),
  });
}
