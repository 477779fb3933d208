// One server replica as its own process (no Next): the real services and socket.io gateways on PORT,
// configured from the environment like server/index.ts (DATABASE_URL, REDIS_URL, ...). Tests kill it.
import http from "node:http";
import { createServices } from "../../server/bootstrap";
import { clusterOf } from "../../server/cluster/attach-cluster";
import { runBackgroundDuties } from "../../server/cluster/background-duties";
import { loadServerConfig } from "../../server/config";
import { createServerLogger } from "../../server/log";
import { attachRealtime } from "../../server/realtime/attach-realtime";

const config = loadServerConfig();
const services = await createServices(config, createServerLogger(process.env.TEST_LOG_LEVEL ?? "warn"));
const server = http.createServer((_req, res) => res.writeHead(404).end());
const io = attachRealtime(server, services);
await clusterOf(io)?.ready;
await runBackgroundDuties(io, services);
await new Promise<void>((resolve) => server.listen(config.port, "127.0.0.1", resolve));
process.stdout.write(`replica listening on ${config.port} as ${clusterOf(io)?.replicaId}\n`);
