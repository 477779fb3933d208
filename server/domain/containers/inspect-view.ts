import type { ContainerDetails } from "../../../agents/protocol";

/** `containers.inspect` as the API shows it: env values only for callers who may read them. */
export function inspectView(d: ContainerDetails, canReadEnv: boolean) {
  const { healthcheck: _healthcheck, ...config } = d.config;
  const { binds: _binds, requestedMounts: _requested, ...hostConfig } = d.hostConfig;
  return {
    id: d.id,
    name: d.name,
    image: d.image,
    imageId: d.imageId,
    createdAt: d.createdAt,
    state: d.state,
    config: { ...config, env: d.config.env.map(({ key, value }) => ({ key, value: canReadEnv ? value : null })) },
    hostConfig,
    mounts: d.mounts,
    networks: d.networks,
    envRedacted: !canReadEnv,
  };
}
export type ContainerInspectView = ReturnType<typeof inspectView>;
