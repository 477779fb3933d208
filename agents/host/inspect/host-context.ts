import type Docker from "dockerode";
import { ZInspectSecurity, type InspectSecurity } from "./inspect-schema";
import { readTrimmed, type KernelFiles } from "./kernel-files";
import { readNamespaceInodes, type NamespaceInodes } from "./namespaces";

const INSPECT_CONCURRENCY = 8;
const MAX_CONTAINERS = 20_000;

/** What every report on one host compares against: the host's namespaces, its LSMs and the other containers. */
export type HostContext = {
  files: KernelFiles;
  hostNs: NamespaceInodes;
  hostReference: "init" | "agent";
  lsm: { apparmor: boolean; selinux: boolean };
  /** Every container, inspected; running ones with their namespace inodes. */
  containers: { inspect: InspectSecurity; inodes: NamespaceInodes | null }[];
};

export async function loadHostContext(docker: Docker, files: KernelFiles): Promise<HostContext> {
  // The host's init is the reference; where it is hidden from us (a sandbox), the agent's own namespaces are.
  const init = await readNamespaceInodes(files, 1);
  const useInit = Object.values(init).some((v) => v !== null);
  const hostNs = useInit ? init : await readNamespaceInodes(files, "self");
  const summaries = (await docker.listContainers({ all: true })).slice(0, MAX_CONTAINERS) as { Id: string }[];
  const containers: HostContext["containers"] = [];
  for (let i = 0; i < summaries.length; i += INSPECT_CONCURRENCY) {
    const batch = await Promise.all(summaries.slice(i, i + INSPECT_CONCURRENCY).map((s) => inspectOne(docker, files, s.Id)));
    for (const c of batch) if (c) containers.push(c);
  }
  return {
    files,
    hostNs,
    hostReference: useInit ? "init" : "agent",
    lsm: {
      apparmor: (await readTrimmed(`${files.sys}/module/apparmor/parameters/enabled`)) === "Y",
      selinux: (await readTrimmed(`${files.sys}/fs/selinux/enforce`)) !== null,
    },
    containers,
  };
}

/** One container's inspect plus its namespaces; null when it vanished meanwhile. */
export async function inspectOne(docker: Docker, files: KernelFiles, id: string) {
  let raw: unknown;
  try {
    raw = await docker.getContainer(id).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
  const inspect = ZInspectSecurity.parse(raw);
  const inodes = inspect.State.Running && inspect.State.Pid > 0 ? await readNamespaceInodes(files, inspect.State.Pid) : null;
  return { inspect, inodes };
}
