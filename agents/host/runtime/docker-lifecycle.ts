import type Docker from "dockerode";
import type { ContainerCommand } from "../../protocol";
import { ZContainerRef } from "../../protocol/commands";
import { RuntimeError, toRuntimeError } from "./runtime-error";

/** Runs one allow-listed operation through dockerode; every failure becomes a RuntimeError. */
export async function runDockerLifecycle(docker: Docker, command: ContainerCommand): Promise<void> {
  const ref = command.params.containerId;
  // The schema already ran on the wire; checked again because this string becomes part of a URL path.
  if (!ZContainerRef.safeParse(ref).success) throw new RuntimeError("BAD_COMMAND", `refusing malformed container reference ${JSON.stringify(ref.slice(0, 80))}`);
  const container = docker.getContainer(ref);
  try {
    switch (command.action) {
      case "start":
        return void (await container.start());
      case "stop":
        return void (await container.stop(defined({ t: command.params.timeout })));
      case "restart":
        return void (await container.restart(defined({ t: command.params.timeout })));
      case "kill":
        return void (await container.kill(defined({ signal: command.params.signal })));
      case "pause":
        return void (await container.pause());
      case "unpause":
        return void (await container.unpause());
      case "remove":
        return void (await container.remove(defined({ force: command.params.force, v: command.params.volumes })));
      case "rename":
        return void (await container.rename({ name: command.params.name }));
    }
  } catch (err) {
    throw toRuntimeError(err, ref);
  }
}

/** Drops undefined members so Docker applies its own defaults instead of reading "undefined". */
function defined<T extends Record<string, unknown>>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
