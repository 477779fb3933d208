import type Docker from "dockerode";
import type { AgentQuery } from "../../protocol";
import { ZContainerRef } from "../../protocol/commands";
import { isInspectorQuery, runInspectorQuery } from "../inspect/run-inspector-query";
import { ZDockerImage, ZDockerInspectFull, ZDockerNetwork, ZDockerUser, ZDockerVolumes } from "./docker-control-schemas";
import { readLogs } from "../logs/read-logs";
import { logSourceFor as logSource } from "../logs/docker-log-source";
import { mapDetails } from "./map-details";
import { mapImages, mapNetworks, mapVolumes } from "./map-resources";
import { RuntimeError, toRuntimeError } from "./runtime-error";

/** Answers one allow-listed read from Docker, in the protocol's shapes. */
export async function runDockerQuery(docker: Docker, query: AgentQuery): Promise<unknown> {
  try {
    if (isInspectorQuery(query)) return await runInspectorQuery(docker, query);
    switch (query.query) {
      case "container.inspect": {
        const ref = query.params.containerId;
        if (!ZContainerRef.safeParse(ref).success) throw new RuntimeError("BAD_COMMAND", "refusing malformed container reference");
        return mapDetails(ZDockerInspectFull.parse(await docker.getContainer(ref).inspect().catch((err: unknown) => {
          throw toRuntimeError(err, ref);
        })));
      }
      case "images.list": {
        const [images, users] = await Promise.all([docker.listImages(), containerUsers(docker)]);
        return mapImages(images.map((i) => ZDockerImage.parse(i)), users);
      }
      case "volumes.list": {
        const [volumes, users] = await Promise.all([docker.listVolumes(), containerUsers(docker)]);
        return mapVolumes(ZDockerVolumes.parse(volumes).Volumes, users);
      }
      case "container.logs":
        return readLogs(logSource(docker), query.params);
      case "networks.list": {
        const [networks, users] = await Promise.all([docker.listNetworks(), containerUsers(docker)]);
        return mapNetworks(networks.map((n) => ZDockerNetwork.parse(n)), users);
      }
    }
  } catch (err) {
    throw err instanceof RuntimeError ? err : toRuntimeError(err, query.query);
  }
}

async function containerUsers(docker: Docker) {
  return (await docker.listContainers({ all: true })).map((c) => ZDockerUser.parse(c));
}
