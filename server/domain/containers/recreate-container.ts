import type { Services } from "../../services";
import { runControl } from "../commands/run-control";
import { ControlError } from "../commands/control-error";
import { queryAgent } from "../queries/query-agent";
import type { CreateOptions } from "./create-container";
import { inspectToSpec } from "./inspect-to-spec";
import { checkIsolation } from "./isolation-check";

/**
 * Recreate = inspect → spec → one signed `container.recreate` command. The agent creates the new
 * container under a temporary name, stops and removes the old one, renames the new one and starts it
 * if the old one was running (see agents/host/runtime/docker-recreate.ts for what a failure midway
 * leaves behind). The spec goes through the same isolation policy as a create.
 */
export async function recreateContainer(
  services: Pick<Services, "commands" | "db">,
  opts: Omit<CreateOptions, "spec" | "start"> & { containerId: string },
): Promise<{ id: string; name: string }> {
  const details = await queryAgent({ db: services.db, links: services.commands.links }, opts.hostId, { query: "container.inspect", params: { containerId: opts.containerId } });
  const { spec, unsupported } = inspectToSpec(details);
  if (!spec) throw new ControlError("UNSUPPORTED", `cannot recreate ${details.name}: these settings would be lost: ${unsupported.join("; ")}`);
  const risks = await checkIsolation(services, { access: opts.access, hostId: opts.hostId, spec, who: opts.who, path: "containers.recreate" });
  const data = await runControl(services, {
    hostId: opts.hostId,
    action: "container.recreate",
    params: { containerId: details.id, spec },
    actor: opts.actor,
    auditParams: risks.length ? { risks: risks.map((r) => r.code) } : undefined,
  });
  return { id: data.id, name: data.name };
}
