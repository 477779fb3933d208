import { z } from "zod";
import { queryAgent } from "../../domain/queries/query-agent";
import { containerProcedure, router } from "../init";
import { mapControlErrors } from "./control";

export const processesRouter = router({
  /** Every process of one container: host PID and in-namespace PID, parent, user, command line, CPU and memory. */
  list: containerProcedure("container:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: z.string().min(1).max(64).optional(), containerId: z.string().min(1).max(128) }))
    .query(({ ctx }) =>
      queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, ctx.target.hostId, { query: "container.processes", params: { containerId: ctx.target.container!.id } })),
});
