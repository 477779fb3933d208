import { z } from "zod";
import { ZContainerAction, ZContainerSpec, type ContainerAction } from "../../../agents/protocol";
import { can } from "../../auth/access";
import type { HostPermission } from "../../auth/permissions";
import { awaitContainerState } from "../../domain/containers/await-state";
import { createContainer } from "../../domain/containers/create-container";
import { inspectView } from "../../domain/containers/inspect-view";
import { recreateContainer } from "../../domain/containers/recreate-container";
import { listContainers } from "../../domain/hosts/host-views";
import { queryAgent } from "../../domain/queries/query-agent";
import { auditActor, containerProcedure, hostProcedure, listProcedure, router } from "../init";
import { commandActor, mapControlErrors } from "./control";

const ZHostId = z.string().min(1).max(64);
const ZContainerTarget = z.object({ hostId: ZHostId.optional(), containerId: z.string().min(1).max(128) });

/** The permission each lifecycle action needs on the container's host. */
export const ACTION_PERMISSIONS: Record<ContainerAction, HostPermission> = {
  start: "container:start",
  stop: "container:stop",
  restart: "container:restart",
  kill: "container:kill",
  pause: "container:pause",
  unpause: "container:pause",
  remove: "container:remove",
  rename: "container:rename",
};

export const containersRouter = router({
  /** Containers of one host, or of every host the caller may read when hostId is omitted. */
  list: listProcedure("container:read")
    .input(z.object({ hostId: z.string().min(1).max(64).optional() }).optional())
    .query(async ({ ctx, input }) => {
      const all = await listContainers(ctx.services, input?.hostId);
      return all.filter((c) => can(ctx.actor.access, "container:read", c.hostId));
    }),

  /**
   * One lifecycle action on one container, sent to its agent as a signed command. The container's host
   * is the one the server finds it on; the reply carries its state after the change.
   */
  action: containerProcedure({ byAction: ACTION_PERMISSIONS })
    .input(
      z.object({
        hostId: z.string().min(1).max(64).optional(),
        containerId: z.string().min(1).max(128),
        action: ZContainerAction,
        params: z.record(z.string().max(32), z.unknown()).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { hostId, container } = ctx.target;
      const containerId = container!.id; // resolved by the server, never the caller's string
      const outcome = await ctx.services.commands.send({
        hostId,
        action: input.action,
        params: { ...input.params, containerId },
        actor: { id: ctx.actor.id, email: ctx.actor.via === "token" ? `${ctx.actor.email} (token)` : ctx.actor.email, sourceIp: ctx.sourceIp },
      });
      const newName = typeof input.params?.name === "string" ? input.params.name : undefined;
      if (outcome.status === "ok") {
        const state = await awaitContainerState(ctx.services.registry, { hostId, containerId, action: input.action, newName });
        return { ok: true as const, commandId: outcome.commandId, hostId, containerId, state };
      }
      const state = ctx.services.registry.get(hostId)?.containers.get(containerId)?.state ?? "unknown";
      const error = outcome.status === "error" ? outcome.error : { code: "UNKNOWN_OUTCOME", message: outcome.message };
      return { ok: false as const, commandId: outcome.commandId, hostId, containerId, state, status: outcome.status, error };
    }),

  /** One container in full, read from its agent; env values are null unless the caller holds container:env:read. */
  inspect: containerProcedure("container:read")
    .use(mapControlErrors)
    .input(ZContainerTarget)
    .query(async ({ ctx, input: _input }) => {
      const { hostId, container } = ctx.target;
      const details = await queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, hostId, { query: "container.inspect", params: { containerId: container!.id } });
      return inspectView(details, can(ctx.actor.access, "container:env:read", hostId));
    }),

  /** A new container from a spec; settings that weaken isolation also need container:create:privileged. */
  create: hostProcedure("container:create")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, spec: ZContainerSpec, start: z.boolean().default(true) }))
    .mutation(({ ctx, input }) =>
      createContainer(ctx.services, { ...input, actor: commandActor(ctx), access: ctx.actor.access, who: auditActor(ctx) }),
    ),

  /** Same settings, new container (new id), old one removed; the settings pass the isolation policy again. */
  recreate: containerProcedure("container:create")
    .use(mapControlErrors)
    .input(ZContainerTarget)
    .mutation(({ ctx }) =>
      recreateContainer(ctx.services, { hostId: ctx.target.hostId, containerId: ctx.target.container!.id, actor: commandActor(ctx), access: ctx.actor.access, who: auditActor(ctx) }),
    ),
});
