import type { Server } from "socket.io";
import type { Services } from "../services";
import { clusterOf } from "./attach-cluster";

/**
 * Alert evaluation (with its webhooks) and log retention must run once for the whole fleet: at once
 * in a single process, and on the replica holding the leader lease when there are several.
 */
export async function runBackgroundDuties(io: Server, services: Services): Promise<void> {
  const start = async () => {
    await services.alerts.start();
    await services.logs.retention.start();
  };
  const stop = async () => {
    services.logs.retention.stop();
    await services.alerts.stop();
  };
  const cluster = clusterOf(io);
  if (!cluster) return start();
  cluster.onLeadership((leading) => void (leading ? start() : stop()).catch((err: unknown) => services.log.error({ err, leading }, "background duties did not switch")));
}
