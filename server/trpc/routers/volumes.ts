import { z } from "zod";
import { ZLabelFilter, ZDockerObjectName } from "../../../agents/protocol";
import { runControl } from "../../domain/commands/run-control";
import { queryAgent } from "../../domain/queries/query-agent";
import { hostProcedure, router } from "../init";
import { commandActor, mapControlErrors } from "./control";

const ZHostId = z.string().min(1).max(64);
const ZLabels = z.record(z.string().min(1).max(256), z.string().max(4096));

export const volumesRouter = router({
  /** Volumes of one host, each with the containers that mount it. */
  list: hostProcedure("volume:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId }))
    .query(({ ctx, input }) => queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, input.hostId, { query: "volumes.list", params: {} })),

  create: hostProcedure("volume:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, name: ZDockerObjectName, driver: z.literal("local").optional(), labels: ZLabels.optional() }))
    .mutation(({ ctx, input: { hostId, ...params } }) => runControl(ctx.services, { hostId, action: "volume.create", params, actor: commandActor(ctx) })),

  remove: hostProcedure("volume:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, name: ZDockerObjectName, force: z.boolean().optional() }))
    .mutation(async ({ ctx, input: { hostId, ...params } }) => {
      await runControl(ctx.services, { hostId, action: "volume.remove", params, actor: commandActor(ctx) });
      return { ok: true as const };
    }),

  /** Every local volume no container uses. */
  prune: hostProcedure("volume:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, label: ZLabelFilter.optional() }))
    .mutation(({ ctx, input: { hostId, ...params } }) => runControl(ctx.services, { hostId, action: "volume.prune", params, actor: commandActor(ctx) })),
});
