import http from "node:http";
import next from "next";
import { CLIENT_IP_HEADER } from "./auth/auth";
import { loadServerConfig } from "./config";
import { clientIp } from "./http/client-ip";
import { createServices } from "./bootstrap";
import { AGENT_DOWNLOAD_PATH, serveAgentBundle } from "./http/agent-download";
import { attachRealtime } from "./realtime/attach-realtime";
import { clusterOf } from "./cluster/attach-cluster";
import { runBackgroundDuties } from "./cluster/background-duties";
import { connectionLimitsFromEnv, httpServerTimeouts, limitIdleTcp } from "./realtime/connection-limits";
import { setServices } from "./services";
import { closeBulkWriter } from "./db/sqlite-bulk";

/** The one listener: Next's handler and socket.io on a single http.Server. */
async function main(): Promise<void> {
  const config = loadServerConfig();
  const services = await createServices(config);
  const { log } = services;
  setServices(services);

  const setupCode = await services.firstRun.prepare(config.admin);

  const app = next({ dev: config.dev, hostname: config.host, port: config.port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();

  const limits = connectionLimitsFromEnv();
  // Silent or trickling clients get 408 after the headers timeout; idle ones are capped per address.
  const server = http.createServer(httpServerTimeouts(limits), (req, res) => {
    // The client address (the socket's, or a trusted proxy's forwarded one); a client-sent value is overwritten.
    req.headers[CLIENT_IP_HEADER] = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], config.trustedProxies);
    if (req.url === "/api/health") return void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    if (req.method === "GET" && req.url === AGENT_DOWNLOAD_PATH) return serveAgentBundle(res);
    void handle(req, res);
  });
  limitIdleTcp(server, limits, log.child({ component: "connection-limits" }));
  const io = attachRealtime(server, services);
  await clusterOf(io)?.ready; // a replica serves only once it hears the others (REDIS_URL)
  await runBackgroundDuties(io, services); // alerts and log retention: here, or on the leader of several replicas
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/socket.io/")) void upgrade(req, socket, head); // Next's own (dev reload)
  });

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.port}`;
  log.info({ url }, "Portolan listening");
  if (setupCode) {
    process.stdout.write(
      `\n  First run: open ${url}/setup and enter this one-time setup code to create the admin:\n\n      ${setupCode}\n\n`,
    );
  }

  // A bug in one handler must not take every host and browser down with it.
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));

  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    void io.close().finally(() => clusterOf(io)?.close()); // the adapter unsubscribes before its Redis connections go
    void services.alerts.stop();
    server.close(() => void closeBulkWriter(services.db).then(() => services.db.$disconnect()).finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: Error) => {
  process.stderr.write(`portolan: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
