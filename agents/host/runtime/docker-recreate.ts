import crypto from "node:crypto";
import type Docker from "dockerode";
import type { ContainerSpec, ControlResult } from "../../protocol";
import { createFromSpec } from "./docker-create";
import { ZDockerInspectFull } from "./docker-control-schemas";
import { toRuntimeError } from "./runtime-error";

/**
 * Replaces a container by a new one from `spec` under the same name.
 * 1. create the new container under a temporary name — a failure here changes nothing;
 * 2. stop and remove the old one — if this fails, the new container is removed and the old one is
 *    started again if it was running, so the host is as before (apart from the stop);
 * 3. rename the new one to the old name and start it if the old one was running — a failure here
 *    leaves the new container under its temporary name `<name>-recreate-<hex>` (created, possibly not
 *    started) and the old one gone: the error says so, and the operator renames or starts it by hand.
 */
export async function recreateFromSpec(
  docker: Docker,
  params: { containerId: string; spec: ContainerSpec; timeout?: number },
): Promise<ControlResult<"container.recreate">> {
  const old = docker.getContainer(params.containerId);
  let before;
  try {
    before = ZDockerInspectFull.parse(await old.inspect());
  } catch (err) {
    throw toRuntimeError(err, params.containerId);
  }
  const name = before.Name.replace(/^\//, "");
  const wasRunning = before.State.Running;
  const temporary = `${name.slice(0, 100)}-recreate-${crypto.randomBytes(4).toString("hex")}`;
  const created = await createFromSpec(docker, params.spec, temporary);
  const fresh = docker.getContainer(created.id);

  try {
    if (wasRunning) await old.stop(params.timeout === undefined ? {} : { t: params.timeout }).catch(ignoreNotModified);
    await old.remove();
  } catch (err) {
    await fresh.remove({ force: true }).catch(() => undefined);
    if (wasRunning) await old.start().catch(() => undefined);
    throw toRuntimeError(err, params.containerId);
  }

  try {
    await fresh.rename({ name });
    if (wasRunning) await fresh.start();
  } catch (err) {
    const e = toRuntimeError(err, temporary);
    e.message = `old container removed, but the new one ${created.id.slice(0, 12)} is left as ${temporary}: ${e.message}`;
    throw e;
  }
  return { id: created.id, name, oldId: before.Id, started: wasRunning };
}

function ignoreNotModified(err: { statusCode?: number }): void {
  if (err.statusCode !== 304) throw err;
}
