import type { ControlAction, ControlResult } from "../../../agents/protocol";
import type { Services } from "../../services";
import { hostName } from "../queries/query-agent";
import type { CommandActor } from "./command-service";
import { ControlError, hostOffline } from "./control-error";
import type { InFlightHooks } from "./in-flight";

export type ControlRequest<A extends ControlAction> = {
  hostId: string;
  action: A;
  params: unknown;
  actor: CommandActor;
  auditParams?: Record<string, unknown>;
  hooks?: InFlightHooks;
};

/**
 * Runs one control operation as a signed, audited command and returns the agent's (schema-checked)
 * data; any other outcome becomes a ControlError with the agent's code and Docker's words.
 */
export async function runControl<A extends ControlAction>(services: Pick<Services, "commands" | "db">, request: ControlRequest<A>): Promise<ControlResult<A>> {
  const outcome = await services.commands.send(request);
  if (outcome.status === "ok") return outcome.data as ControlResult<A>;
  if (outcome.status === "unknown") throw new ControlError("UNKNOWN_OUTCOME", outcome.message);
  if (outcome.error.code === "HOST_OFFLINE") throw hostOffline(await hostName(services.db, request.hostId));
  throw new ControlError(outcome.error.code, outcome.error.message);
}
