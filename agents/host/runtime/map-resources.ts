import type { ImageEntry, NetworkEntry, VolumeEntry } from "../../protocol";
import type { DockerImage, DockerNetwork, DockerUser, DockerVolume } from "./docker-control-schemas";

const nameOf = (u: DockerUser) => (u.Names[0] ?? u.Id.slice(0, 12)).replace(/^\//, "");

/** Images with the containers created from them ("in use by"). */
export function mapImages(images: DockerImage[], users: DockerUser[]): ImageEntry[] {
  return images.map((i) => ({
    id: i.Id,
    tags: i.RepoTags.filter((t) => t !== "<none>:<none>"),
    sizeBytes: i.Size,
    createdAt: new Date(i.Created * 1000).toISOString(),
    containers: users.filter((u) => u.ImageID === i.Id).map((u) => ({ id: u.Id, name: nameOf(u), state: u.State })),
  }));
}

/** Volumes with the containers that mount them. */
export function mapVolumes(volumes: DockerVolume[], users: DockerUser[]): VolumeEntry[] {
  return volumes.map((v) => ({
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    scope: v.Scope,
    createdAt: v.CreatedAt ?? null,
    labels: v.Labels,
    containers: users.filter((u) => u.Mounts.some((m) => m.Type === "volume" && m.Name === v.Name)).map((u) => ({ id: u.Id, name: nameOf(u) })),
  }));
}

/** Networks with the containers attached to them and their addresses. */
export function mapNetworks(networks: DockerNetwork[], users: DockerUser[]): NetworkEntry[] {
  return networks.map((n) => ({
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    internal: n.Internal ?? false,
    subnets: (n.IPAM?.Config ?? []).filter((c) => c.Subnet).map((c) => ({ subnet: c.Subnet!, gateway: c.Gateway ?? null })),
    createdAt: n.Created,
    // Docker names a custom bridge's interface br-<first 12 of the id> unless an option says otherwise.
    bridge: n.Driver === "bridge" ? (n.Options["com.docker.network.bridge.name"] ?? `br-${n.Id.slice(0, 12)}`) : null,
    labels: n.Labels,
    containers: users.flatMap((u) => {
      const endpoint = Object.values(u.NetworkSettings?.Networks ?? {}).find((e) => e.NetworkID === n.Id);
      return endpoint ? [{ id: u.Id, name: nameOf(u), ipv4: endpoint.IPAddress || null }] : [];
    }),
  }));
}
