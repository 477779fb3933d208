import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../auth/auth";
import { procedure, publicProcedure, router } from "../init";

export const sessionRouter = router({
  me: procedure("authenticated").query(({ ctx }) => ctx.actor),

  /** Whether the first-run setup page should be shown. */
  setupStatus: publicProcedure.query(async ({ ctx }) => ({ needsSetup: await ctx.services.firstRun.needsSetup() })),

  completeSetup: publicProcedure
    .input(
      z.object({
        code: z.string().trim().min(4).max(64),
        email: z.email().max(254),
        password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
        name: z.string().trim().max(64).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.services.firstRun.complete({ ...input, sourceIp: ctx.sourceIp });
      return { email: user.email };
    }),
});
