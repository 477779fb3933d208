import { z } from "zod";
import { ZLabelFilter, ZDockerObjectName, ZNetworkRef } from "../../../agents/protocol";
import { runControl } from "../../domain/commands/run-control";
import { queryAgent } from "../../domain/queries/query-agent";
import { hostProcedure, router } from "../init";
import { commandActor, mapControlErrors } from "./control";

const ZHostId = z.string().min(1).max(64);

export const networksRouter = router({
  /** Networks of one host, each with the containers attached to it. */
  list: hostProcedure("network:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId }))
    .query(({ ctx, input }) => queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, input.hostId, { query: "networks.list", params: {} })),

  create: hostProcedure("network:write")
    .use(mapControlErrors)
    .input(
      z.object({
        hostId: ZHostId,
        name: ZDockerObjectName,
        driver: z.literal("bridge").optional(),
        subnet: z.union([z.cidrv4(), z.cidrv6()]).optional(),
        gateway: z.union([z.ipv4(), z.ipv6()]).optional(),
        internal: z.boolean().optional(),
        labels: z.record(z.string().min(1).max(256), z.string().max(4096)).optional(),
      }),
    )
    .mutation(({ ctx, input: { hostId, ...params } }) => runControl(ctx.services, { hostId, action: "network.create", params, actor: commandActor(ctx) })),

  remove: hostProcedure("network:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, networkId: ZNetworkRef }))
    .mutation(async ({ ctx, input: { hostId, networkId } }) => {
      await runControl(ctx.services, { hostId, action: "network.remove", params: { networkId }, actor: commandActor(ctx) });
      return { ok: true as const };
    }),

  /** Every custom network no container uses. */
  prune: hostProcedure("network:write")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZHostId, label: ZLabelFilter.optional() }))
    .mutation(({ ctx, input: { hostId, ...params } }) => runControl(ctx.services, { hostId, action: "network.prune", params, actor: commandActor(ctx) })),
});
