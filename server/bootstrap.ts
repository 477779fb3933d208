import { createAuth } from "./auth/auth";
import { FirstRun } from "./auth/first-admin";
import type { ServerConfig } from "./config";
import { AccessChanges } from "./domain/access/access-changes";
import { AlertEngine } from "./domain/alerts/alert-engine";
import { MetricFeed } from "./domain/metrics/metric-feed";
import { DockerEventFeed } from "./domain/events/event-feed";
import { LogRelay } from "./domain/logs/log-relay";
import { LogRetention } from "./domain/logs/log-retention";
import { CommandService } from "./domain/commands/command-service";
import { openDatabase } from "./db/client";
import { migrateDatabase } from "./db/migrate";
import { redactDatabaseUrl } from "./db/database-url";
import { loadOrCreateAuthSecret, loadOrCreateServerKey } from "./keys";
import { createServerLogger, type Log } from "./log";
import { staleAfterMs } from "./domain/hosts/presence";
import { HostRegistry } from "./realtime/host-registry";
import { ClusteredRegistry } from "./cluster/clustered-registry";
import { OperationProgressHub } from "./realtime/operation-progress";
import type { Services } from "./services";

/** Migrates the database and builds every long-lived service; no listener is opened here. */
export async function createServices(config: ServerConfig, log: Log = createServerLogger(config.logLevel)): Promise<Services> {
  const migrated = await migrateDatabase(await openDatabase(config.databaseUrl), config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  log.info({ database: redactDatabaseUrl(config.databaseUrl), migrate: migrated }, "database ready");
  const serverKey = loadOrCreateServerKey(config.dataDir);
  const auth = createAuth({ db, secret: loadOrCreateAuthSecret(config.dataDir, config.authSecret), publicUrl: config.publicUrl, fallbackUrl: `http://${config.host}:${config.port}` });
  const services: Omit<Services, "alerts" | "logs"> = {
    config,
    db,
    auth,
    log,
    // One of several replicas (REDIS_URL): the registry also replicates what this replica's agents report.
    registry: new (config.redisUrl ? ClusteredRegistry : HostRegistry)({ staleAfterMs: staleAfterMs(config.agentTimeoutSeconds) }),
    serverKey,
    firstRun: new FirstRun({ db, auth }),
    accessChanges: new AccessChanges(),
    operations: new OperationProgressHub(),
    dockerEvents: new DockerEventFeed(),
    metrics: new MetricFeed(),
    commands: new CommandService({ db, serverKey, log: log.child({ component: "commands" }) }),
  };
  // Built here, started by server/index.ts (tests start it only where they need it).
  const alerts = new AlertEngine({ ...services, log: log.child({ component: "alerts" }) });
  const relay = new LogRelay(services.commands.links, log.child({ component: "logs" }));
  const logs = { relay, retention: new LogRetention({ db, registry: services.registry, relay, log: log.child({ component: "log-retention" }) }) };
  return { ...services, alerts, logs };
}
