import { createCallerFactory, router } from "./init";
import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { containersRouter } from "./routers/containers";
import { grantsRouter } from "./routers/grants";
import { hostGroupsRouter } from "./routers/host-groups";
import { hostsRouter } from "./routers/hosts";
import { rolesRouter } from "./routers/roles";
import { sessionRouter } from "./routers/session";
import { teamsRouter } from "./routers/teams";
import { tokensRouter } from "./routers/tokens";
import { usersRouter } from "./routers/users";

export const appRouter = router({
  hosts: hostsRouter,
  containers: containersRouter,
  session: sessionRouter,
  account: accountRouter,
  users: usersRouter,
  teams: teamsRouter,
  roles: rolesRouter,
  hostGroups: hostGroupsRouter,
  grants: grantsRouter,
  tokens: tokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
