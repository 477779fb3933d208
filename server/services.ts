import type { Auth } from "./auth/auth";
import type { FirstRun } from "./auth/first-admin";
import type { ServerConfig } from "./config";
import type { Db } from "./db/client";
import type { ServerKey } from "./keys";
import type { AccessChanges } from "./domain/access/access-changes";
import type { DockerEventFeed } from "./domain/events/event-feed";
import type { MetricFeed } from "./domain/metrics/metric-feed";
import type { LogRelay } from "./domain/logs/log-relay";
import type { LogRetention } from "./domain/logs/log-retention";
import type { AlertEngine } from "./domain/alerts/alert-engine";
import type { CommandService } from "./domain/commands/command-service";
import type { Log } from "./log";
import type { HostRegistry } from "./realtime/host-registry";
import type { OperationProgressHub } from "./realtime/operation-progress";

/** Everything request handlers need, built once by server/index.ts. */
export type Services = {
  config: ServerConfig;
  db: Db;
  auth: Auth;
  registry: HostRegistry;
  serverKey: ServerKey;
  firstRun: FirstRun;
  log: Log;
  /** Raised when anyone's access may have narrowed; live connections re-check their callers. */
  accessChanges: AccessChanges;
  /** Progress of pulls and imports, forwarded to browsers that may read the host. */
  operations: OperationProgressHub;
  /** Engine events stored from agents, pushed on to subscribed browsers. */
  dockerEvents: DockerEventFeed;
  /** Signed, exactly-once container commands to agents; the agent gateway fills its links. */
  commands: CommandService;
  /** Every metrics sample accepted from agents (alerts listen here). */
  metrics: MetricFeed;
  /** Log streams between agents and browsers (or the retention store), and what the server keeps. */
  logs: { relay: LogRelay; retention: LogRetention };
  /** Judges alert rules and sends webhook notifications (started by server/index.ts). */
  alerts: AlertEngine;
};

// Next bundles its own copy of our modules, so route handlers and the custom server share state
// through one well-known global key rather than through module scope.
const KEY = Symbol.for("portolan.services");
type Holder = { [KEY]?: Services };

export function setServices(services: Services): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as Holder)[KEY];
  if (!services) throw new Error("Portolan services are not initialised (start the server with server/index.ts)");
  return services;
}
