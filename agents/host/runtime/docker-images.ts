import crypto from "node:crypto";
import { Readable } from "node:stream";
import type Docker from "dockerode";
import type { ControlCommand, ControlResult } from "../../protocol";
import { ZImageRef } from "../../protocol/control-commands";
import type { ControlIo } from "./container-runtime";
import { RuntimeError, toRuntimeError } from "./runtime-error";
import { splitLines } from "./split-lines";

type Params<A extends ControlCommand["action"]> = Extract<ControlCommand, { action: A }>["params"];
type ProgressLine = { status?: string; id?: string; error?: string; errorDetail?: { message?: string }; progressDetail?: { current?: number; total?: number } };

export async function removeImage(docker: Docker, p: Params<"image.remove">): Promise<ControlResult<"image.remove">> {
  if (!ZImageRef.safeParse(p.imageId).success) throw new RuntimeError("BAD_COMMAND", "refusing malformed image reference");
  try {
    const items = (await docker.getImage(p.imageId).remove(p.force ? { force: true } : {})) as { Deleted?: string; Untagged?: string }[];
    return { deleted: items.flatMap((i) => (i.Deleted ? [i.Deleted] : [])), untagged: items.flatMap((i) => (i.Untagged ? [i.Untagged] : [])) };
  } catch (err) {
    throw toRuntimeError(err, p.imageId, "image");
  }
}

export async function pruneImages(docker: Docker, p: Params<"image.prune">): Promise<ControlResult<"image.prune">> {
  try {
    const r = (await docker.pruneImages({ filters: { dangling: [p.all ? "false" : "true"], ...labelFilter(p.label) } })) as { ImagesDeleted?: { Deleted?: string }[] | null; SpaceReclaimed?: number };
    return { deleted: (r.ImagesDeleted ?? []).flatMap((i) => (i.Deleted ? [i.Deleted] : [])), spaceReclaimedBytes: r.SpaceReclaimed ?? 0 };
  } catch (err) {
    throw toRuntimeError(err, "images", "image");
  }
}

/** Pulls with progress; a failure keeps the engine's own words (e.g. no route to the registry). */
export async function pullImage(docker: Docker, p: Params<"image.pull">, io: ControlIo): Promise<ControlResult<"image.pull">> {
  const reference = /:[^/]+$|@/.test(p.reference) ? p.reference : `${p.reference}:latest`;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(reference);
  } catch (err) {
    throw new RuntimeError("PULL_FAILED", toRuntimeError(err, reference, "image").message);
  }
  await followProgress(stream, io, "PULL_FAILED");
  try {
    const image = (await docker.getImage(reference).inspect()) as { Id: string };
    return { id: image.Id, reference };
  } catch (err) {
    throw toRuntimeError(err, reference, "image");
  }
}

/**
 * `docker import` of a rootfs tarball the server spooled for this command. The agent reads it slice by
 * slice (only as fast as Docker consumes it), hashes what it reads, and tags the new image only when size
 * and sha256 match the signed command; otherwise the untagged image is removed again.
 */
export async function importImage(docker: Docker, p: Params<"image.import">, io: ControlIo): Promise<ControlResult<"image.import">> {
  const hash = crypto.createHash("sha256");
  let received = 0;
  async function* slices() {
    for (;;) {
      const { data, eof } = await io.readUpload(received, Math.min(io.chunkBytes, Math.max(1, p.sizeBytes - received)));
      received += data.byteLength;
      hash.update(data);
      if (received > p.sizeBytes) throw new RuntimeError("UPLOAD_MISMATCH", "the upload is larger than the signed command says");
      io.progress({ status: "importing", currentBytes: received, totalBytes: p.sizeBytes });
      if (data.byteLength) yield Buffer.from(data);
      if (eof) return;
      if (!data.byteLength) throw new RuntimeError("UPLOAD_MISMATCH", "the upload ended early");
    }
  }
  let id: string | null = null;
  try {
    const response = await docker.importImage(Readable.from(slices()) as unknown as string, {});
    id = await followProgress(response, io, "DOCKER_ERROR");
  } catch (err) {
    throw err instanceof RuntimeError ? err : toRuntimeError(err, `${p.repository}:${p.tag}`, "image");
  }
  if (!id) throw new RuntimeError("DOCKER_ERROR", "the engine did not name the imported image");
  const digest = hash.digest("hex");
  if (received !== p.sizeBytes || digest !== p.sha256) {
    await docker.getImage(id).remove({ noprune: false }).catch(() => undefined);
    throw new RuntimeError("UPLOAD_MISMATCH", `the upload does not match the signed command (got ${received} bytes, sha256 ${digest}); image not kept`);
  }
  try {
    await docker.getImage(id).tag({ repo: p.repository, tag: p.tag });
  } catch (err) {
    throw toRuntimeError(err, id, "image");
  }
  return { id };
}

/** Reads Docker's JSON-lines progress; rejects on an `error` line; resolves with the last status (an image id for imports). */
function followProgress(stream: NodeJS.ReadableStream, io: ControlIo, code: "PULL_FAILED" | "DOCKER_ERROR"): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let last: string | null = null;
    let failed = false;
    splitLines(stream, (line) => {
      let msg: ProgressLine;
      try {
        msg = JSON.parse(line) as ProgressLine;
      } catch {
        return;
      }
      if (msg.error || msg.errorDetail?.message) {
        failed = true;
        return reject(new RuntimeError(code, (msg.errorDetail?.message ?? msg.error ?? "failed").slice(0, 1000)));
      }
      if (msg.status) {
        last = msg.status;
        const detail = msg.progressDetail;
        io.progress({ status: `${msg.id ? `${msg.id}: ` : ""}${msg.status}`.slice(0, 200), currentBytes: detail?.current, totalBytes: detail?.total });
      }
    });
    stream.on("error", (err: Error) => !failed && reject(err));
    stream.on("end", () => !failed && resolve(last));
  });
}

/** Docker's prune filter for one label, or none. */
export function labelFilter(label: string | undefined): { label?: string[] } {
  return label ? { label: [label] } : {};
}
