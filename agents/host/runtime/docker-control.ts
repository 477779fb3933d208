import type Docker from "dockerode";
import type { ControlCommand, ControlResult } from "../../protocol";
import { ZDockerObjectName, ZNetworkRef } from "../../protocol/control-commands";
import type { ControlIo } from "./container-runtime";
import { createFromSpec } from "./docker-create";
import { importImage, labelFilter, pruneImages, pullImage, removeImage } from "./docker-images";
import { recreateFromSpec } from "./docker-recreate";
import { RuntimeError, toRuntimeError, type ObjectKind } from "./runtime-error";

/** Runs one allow-listed control operation through dockerode; every failure becomes a RuntimeError. */
export async function runDockerControl(docker: Docker, command: ControlCommand, io: ControlIo): Promise<unknown> {
  switch (command.action) {
    case "container.create":
      return createContainer(docker, command.params);
    case "container.recreate":
      return recreateFromSpec(docker, command.params);
    case "image.remove":
      return removeImage(docker, command.params);
    case "image.prune":
      return pruneImages(docker, command.params);
    case "image.pull":
      return pullImage(docker, command.params, io);
    case "image.import":
      return importImage(docker, command.params, io);
    case "volume.create": {
      const { name, driver, labels } = command.params;
      const volume = await engine("volume", name, () => docker.createVolume({ Name: name, Driver: driver, Labels: labels }));
      return { name: volume.name } satisfies ControlResult<"volume.create">;
    }
    case "volume.remove":
      await engine("volume", safe(ZDockerObjectName, command.params.name), () => docker.getVolume(command.params.name).remove(command.params.force ? { force: true } : {}));
      return null;
    case "volume.prune": {
      const r = await engine("volume", "volumes", () => docker.pruneVolumes({ filters: labelFilter(command.params.label) }) as Promise<{ VolumesDeleted?: string[] | null; SpaceReclaimed?: number }>);
      return { deleted: r.VolumesDeleted ?? [], spaceReclaimedBytes: r.SpaceReclaimed ?? 0 } satisfies ControlResult<"volume.prune">;
    }
    case "network.create": {
      const p = command.params;
      const ipam = p.subnet ? { IPAM: { Driver: "default", Config: [{ Subnet: p.subnet, ...(p.gateway ? { Gateway: p.gateway } : {}) }] } } : {};
      const network = await engine("network", p.name, () => docker.createNetwork({ Name: p.name, Driver: p.driver, Internal: p.internal, Labels: p.labels, CheckDuplicate: true, ...ipam }));
      return { id: network.id } satisfies ControlResult<"network.create">;
    }
    case "network.remove":
      await engine("network", safe(ZNetworkRef, command.params.networkId), () => docker.getNetwork(command.params.networkId).remove());
      return null;
    case "network.prune": {
      const r = await engine("network", "networks", () => docker.pruneNetworks({ filters: labelFilter(command.params.label) }) as Promise<{ NetworksDeleted?: string[] | null }>);
      return { deleted: r.NetworksDeleted ?? [] } satisfies ControlResult<"network.prune">;
    }
  }
}

/** Creates and (by default) starts; a container that cannot start is removed again, so create is all or nothing. */
async function createContainer(docker: Docker, p: Extract<ControlCommand, { action: "container.create" }>["params"]): Promise<ControlResult<"container.create">> {
  const { id, warnings } = await createFromSpec(docker, p.spec, p.spec.name ?? "");
  const container = docker.getContainer(id);
  if (p.start) {
    try {
      await container.start();
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      const e = toRuntimeError(err, id);
      e.message = `the container could not start and was removed again: ${e.message}`;
      throw e;
    }
  }
  const { Name } = (await container.inspect()) as { Name: string };
  return { id, name: Name.replace(/^\//, ""), started: p.start, warnings };
}

/** Names reach a URL path: checked again here although the command's schema already ran. */
function safe(schema: { safeParse(v: unknown): { success: boolean } }, ref: string): string {
  if (!schema.safeParse(ref).success) throw new RuntimeError("BAD_COMMAND", `refusing malformed reference ${JSON.stringify(ref.slice(0, 80))}`);
  return ref;
}

async function engine<T>(kind: ObjectKind, ref: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toRuntimeError(err, ref, kind);
  }
}
