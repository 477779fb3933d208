import type { ContainerAction } from "../../../agents/protocol";
import type { HostRegistry } from "../../realtime/host-registry";

/** The state a successful action leads to, as the engine's events will report it. */
const EXPECTED: Partial<Record<ContainerAction, string>> = {
  start: "running",
  restart: "running",
  unpause: "running",
  stop: "exited",
  pause: "paused",
  remove: "removed",
};

/**
 * Waits (briefly) until the host's live inventory shows the action's effect, so the caller gets the
 * state after the change rather than before it. Returns the state seen when it matched or timed out.
 */
export async function awaitContainerState(
  registry: HostRegistry,
  opts: { hostId: string; containerId: string; action: ContainerAction; newName?: string; timeoutMs?: number },
): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 3000);
  const current = () => registry.get(opts.hostId)?.containers.get(opts.containerId);
  const done = () => {
    const c = current();
    if (opts.action === "remove") return !c;
    if (opts.action === "rename") return c?.name === opts.newName;
    if (opts.action === "kill") return true; // a signal may or may not end the process
    return c?.state === EXPECTED[opts.action];
  };
  while (!done() && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
      function finish() {
        clearTimeout(timer);
        registry.off("changed", onChange);
        resolve();
      }
      const onChange = (hostId: string) => hostId === opts.hostId && finish();
      registry.on("changed", onChange);
    });
  }
  return current()?.state ?? "removed";
}
