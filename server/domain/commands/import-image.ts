import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MAX_IMPORT_BYTES } from "../../../agents/protocol";
import type { Services } from "../../services";
import { hostName } from "../queries/query-agent";
import type { CommandActor } from "./command-service";
import { ControlError, hostOffline } from "./control-error";
import { runControl } from "./run-control";

export type ImportOptions = { hostId: string; repository: string; tag: string; body: ReadableStream<Uint8Array>; actor: CommandActor };

/**
 * `docker import` of a rootfs tarball, as one signed and audited command. The body is first spooled to
 * a file in the data dir while it is hashed (bounded memory, any size up to MAX_IMPORT_BYTES); the signed
 * command then names its size and sha256, and the agent reads the file slice by slice as Docker consumes
 * it, checking both before it tags the image. The spool file is removed whatever happens.
 */
export async function importImage(services: Pick<Services, "commands" | "db" | "operations" | "config">, opts: ImportOptions): Promise<{ id: string }> {
  // Fail before reading a large body for a host that cannot take it.
  if (!services.commands.links.isOnline(opts.hostId)) throw hostOffline(await hostName(services.db, opts.hostId));
  const dir = path.join(services.config.dataDir, "uploads");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${crypto.randomUUID()}.tar`);
  let operationId: string | null = null;
  const report = (status: string, extra: { currentBytes?: number; totalBytes?: number; done?: boolean; error?: string } = {}) => {
    if (operationId) services.operations.report({ operationId, hostId: opts.hostId, kind: "import", status, ...extra });
  };
  try {
    const { sizeBytes, sha256 } = await spool(opts.body, file);
    try {
      return await runControl(services, {
        hostId: opts.hostId,
        action: "image.import",
        params: { repository: opts.repository, tag: opts.tag, sizeBytes, sha256 },
        actor: opts.actor,
        hooks: {
          upload: { path: file, sizeBytes },
          onSent: (commandId) => {
            operationId = commandId;
            report("importing", { currentBytes: 0, totalBytes: sizeBytes });
          },
          onProgress: (p) => report(p.status, { currentBytes: p.currentBytes, totalBytes: p.totalBytes }),
        },
      }).then((data) => {
        report("imported", { currentBytes: sizeBytes, totalBytes: sizeBytes, done: true });
        return data;
      });
    } catch (err) {
      report("failed", { done: true, error: err instanceof Error ? err.message : "import failed" });
      throw err;
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Writes the body to `file` while hashing and counting it; refuses empty or oversized uploads. */
async function spool(body: ReadableStream<Uint8Array>, file: string): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = crypto.createHash("sha256");
  let sizeBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sizeBytes += chunk.length;
      if (sizeBytes > MAX_IMPORT_BYTES) return done(new ControlError("BAD_REQUEST", `the upload is larger than ${MAX_IMPORT_BYTES} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>), meter, fs.createWriteStream(file, { mode: 0o600 }));
  if (sizeBytes === 0) throw new ControlError("BAD_REQUEST", "the upload is empty: send a rootfs tarball as the request body");
  return { sizeBytes, sha256: hash.digest("hex") };
}
