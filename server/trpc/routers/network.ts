import { z } from "zod";
import { queryAgent } from "../../domain/queries/query-agent";
import { hostProcedure, router } from "../init";
import { mapControlErrors } from "./control";

/** The host's own network as the kernel sees it (the `networks` router is Docker's networks). */
export const networkRouter = router({
  /** Interfaces, bridges, routes, each container's veth and ports, and the NAT/filter rules attributed, with drift. */
  host: hostProcedure("network:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, input.hostId, { query: "host.network", params: {} })),
});
