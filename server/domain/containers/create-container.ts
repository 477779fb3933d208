import type { ContainerSpec } from "../../../agents/protocol";
import type { Access } from "../../auth/access";
import type { Services } from "../../services";
import type { AuditEntry } from "../audit/record-audit";
import type { CommandActor } from "../commands/command-service";
import { runControl } from "../commands/run-control";
import { checkIsolation } from "./isolation-check";

export type CreateOptions = {
  hostId: string;
  spec: ContainerSpec;
  start: boolean;
  actor: CommandActor;
  access: Access;
  who: Pick<AuditEntry, "actorId" | "actor" | "sourceIp">;
};

/** Creates (and by default starts) one container from a spec, through the isolation policy. */
export async function createContainer(services: Pick<Services, "commands" | "db">, opts: CreateOptions): Promise<{ id: string; name: string; started: boolean }> {
  const risks = await checkIsolation(services, { access: opts.access, hostId: opts.hostId, spec: opts.spec, who: opts.who, path: "containers.create" });
  const data = await runControl(services, {
    hostId: opts.hostId,
    action: "container.create",
    params: { spec: opts.spec, start: opts.start },
    actor: opts.actor,
    auditParams: risks.length ? { risks: risks.map((r) => r.code) } : undefined,
  });
  return { id: data.id, name: data.name, started: data.started };
}
