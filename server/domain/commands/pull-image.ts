import type { Services } from "../../services";
import type { CommandActor } from "./command-service";
import { runControl } from "./run-control";
import { isControlError } from "./control-error";

/**
 * Pulls an image on a host; the agent's progress goes to browsers as `operation:progress` (kind "pull",
 * operationId = the command id), ending with `done` and, on failure, the engine's error text.
 */
export async function pullImage(
  services: Pick<Services, "commands" | "db" | "operations">,
  opts: { hostId: string; reference: string; actor: CommandActor },
): Promise<{ id: string; reference: string }> {
  let operationId: string | null = null;
  const report = (extra: Omit<Parameters<Services["operations"]["report"]>[0], "operationId" | "hostId" | "kind">) => {
    if (operationId) services.operations.report({ operationId, hostId: opts.hostId, kind: "pull", ...extra });
  };
  try {
    const data = await runControl(services, {
      hostId: opts.hostId,
      action: "image.pull",
      params: { reference: opts.reference },
      actor: opts.actor,
      hooks: {
        onSent: (commandId) => {
          operationId = commandId;
          report({ status: "pulling" });
        },
        onProgress: (p) => report({ status: p.status, currentBytes: p.currentBytes, totalBytes: p.totalBytes }),
      },
    });
    report({ status: "pulled", done: true });
    return data;
  } catch (err) {
    report({ status: "failed", done: true, error: isControlError(err) ? err.message : "pull failed" });
    throw err;
  }
}
