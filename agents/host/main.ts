import { startAgent } from "./agent";
import { loadAgentConfig } from "./config";
import { loadOrCreateIdentity } from "./identity";
import { createLogger } from "./log";
import { createDockerRuntime } from "./runtime/docker-runtime";

async function main(): Promise<void> {
  const config = loadAgentConfig();
  const log = createLogger(config.logLevel, { component: "agent" });
  const identity = await loadOrCreateIdentity(config.stateDir);
  const runtime = createDockerRuntime(config.dockerHost);
  log.info("starting", { server: config.serverUrl ?? "(from enrollment)", docker: config.dockerHost, stateDir: config.stateDir });
  const agent = await startAgent({
    config,
    identity,
    runtime,
    log,
    onFatal(message) {
      log.error(message);
      agent.stop();
      process.exit(2);
    },
  });
  const shutdown = () => {
    agent.stop();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: Error) => {
  process.stderr.write(`portolan-agent: ${err.message}\n`);
  process.exit(1);
});
