import { createCallerFactory, router } from "./init";
import { accountRouter } from "./routers/account";
import { alertsRouter } from "./routers/alerts";
import { auditRouter } from "./routers/audit";
import { containersRouter } from "./routers/containers";
import { eventsRouter } from "./routers/events";
import { grantsRouter } from "./routers/grants";
import { hostGroupsRouter } from "./routers/host-groups";
import { hostsRouter } from "./routers/hosts";
import { imagesRouter } from "./routers/images";
import { logsRouter } from "./routers/logs";
import { metricsRouter } from "./routers/metrics";
import { networksRouter } from "./routers/networks";
import { networkRouter } from "./routers/network";
import { processesRouter } from "./routers/processes";
import { securityRouter } from "./routers/security";
import { rolesRouter } from "./routers/roles";
import { sessionRouter } from "./routers/session";
import { teamsRouter } from "./routers/teams";
import { tokensRouter } from "./routers/tokens";
import { usersRouter } from "./routers/users";
import { volumesRouter } from "./routers/volumes";

export const appRouter = router({
  hosts: hostsRouter,
  containers: containersRouter,
  images: imagesRouter,
  volumes: volumesRouter,
  networks: networksRouter,
  security: securityRouter,
  network: networkRouter,
  processes: processesRouter,
  session: sessionRouter,
  account: accountRouter,
  users: usersRouter,
  teams: teamsRouter,
  roles: rolesRouter,
  hostGroups: hostGroupsRouter,
  grants: grantsRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  events: eventsRouter,
  logs: logsRouter,
  metrics: metricsRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
