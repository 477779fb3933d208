import fs from "node:fs/promises";
import type { CommandProgress, UploadChunk, UploadRead } from "../../../agents/protocol";
import { AppError } from "../../errors";

/** What a running command offers its agent: somewhere to report progress, and the upload it carries. */
export type InFlightHooks = {
  /** Called with the command id once the command is on its way (the id names the operation). */
  onSent?: (commandId: string) => void;
  onProgress?: (progress: CommandProgress) => void;
  /** A spooled upload (`image.import`): the agent reads it by command id, slice by slice. */
  upload?: { path: string; sizeBytes: number };
};

type Entry = { hostId: string; hooks: InFlightHooks };

/**
 * Commands sent and not yet answered that accept messages from their agent. Everything is keyed by
 * command id AND host: an agent can only report on, or read the upload of, its own host's commands.
 */
export class InFlight {
  private readonly entries = new Map<string, Entry>();

  /** Registers a command; the returned function forgets it (call it when the reply is in). */
  add(commandId: string, hostId: string, hooks: InFlightHooks): () => void {
    this.entries.set(commandId, { hostId, hooks });
    hooks.onSent?.(commandId);
    return () => void this.entries.delete(commandId);
  }

  progress(hostId: string, progress: CommandProgress): void {
    const entry = this.entries.get(progress.commandId);
    if (entry?.hostId === hostId) entry.hooks.onProgress?.(progress);
  }

  async readUpload(hostId: string, request: UploadRead): Promise<UploadChunk> {
    const entry = this.entries.get(request.commandId);
    const upload = entry?.hostId === hostId ? entry.hooks.upload : undefined;
    if (!upload) throw new AppError("NOT_FOUND", `no upload in flight for command ${request.commandId} on this host`);
    if (request.offset > upload.sizeBytes) throw new AppError("BAD_REQUEST", "read past the end of the upload");
    const handle = await fs.open(upload.path, "r");
    try {
      const length = Math.min(request.length, upload.sizeBytes - request.offset);
      const data = Buffer.alloc(length);
      const { bytesRead } = length > 0 ? await handle.read(data, 0, length, request.offset) : { bytesRead: 0 };
      return { data: data.subarray(0, bytesRead), eof: request.offset + bytesRead >= upload.sizeBytes };
    } finally {
      await handle.close();
    }
  }
}
