import type { Socket } from "socket.io-client";
import type { Ack, AgentToServerEvents, ServerToAgentEvents } from "../../protocol";
import { UPLOAD_CHUNK_BYTES, ZUploadChunk } from "../../protocol/control-commands";
import type { ControlIo } from "../runtime/container-runtime";
import { RuntimeError } from "../runtime/runtime-error";

type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;

const PROGRESS_EVERY_MS = 250;
const READ_TIMEOUT_MS = 60_000;

/**
 * What a running command may say to the server on this socket: progress (at most every 250 ms, the
 * last one always) and requests for the next slice of its upload (one at a time: backpressure).
 */
export function commandIo(socket: AgentSocket, commandId: string): ControlIo {
  let last = 0;
  return {
    chunkBytes: UPLOAD_CHUNK_BYTES,
    progress(p) {
      const now = Date.now();
      const final = p.totalBytes !== undefined && p.currentBytes === p.totalBytes;
      if (!final && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      socket.emit("command:progress", { commandId, ...p });
    },
    async readUpload(offset, length) {
      let ack: Ack<unknown>;
      try {
        ack = await socket.timeout(READ_TIMEOUT_MS).emitWithAck("upload:read", { commandId, offset, length });
      } catch {
        throw new RuntimeError("DOCKER_ERROR", "the server did not send the upload in time");
      }
      if (!ack.ok) throw new RuntimeError("DOCKER_ERROR", `the server refused the upload: ${ack.error.message}`);
      const chunk = ZUploadChunk.safeParse(ack.data);
      if (!chunk.success || chunk.data.data.byteLength > length) throw new RuntimeError("UPLOAD_MISMATCH", "malformed upload slice from the server");
      return chunk.data;
    },
  };
}
