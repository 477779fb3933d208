import type { Services } from "../../services";
import { MetricsHub } from "./metrics-hub";

// Next bundles its own copy of our modules, so the hub is found through a global keyed on the
// services' metric feed (one hub per running server, shared by the gateways and the tRPC routes).
const KEY = Symbol.for("portolan.metricsHubs");
type Holder = { [KEY]?: WeakMap<object, MetricsHub> };

/** The metrics hub of these services, created on first use. */
export function metricsHub(services: Pick<Services, "db" | "metrics" | "log">): MetricsHub {
  const holder = globalThis as Holder;
  const hubs = (holder[KEY] ??= new WeakMap());
  let hub = hubs.get(services.metrics);
  if (!hub) {
    hub = new MetricsHub({ db: services.db, feed: services.metrics, log: services.log.child({ component: "metrics" }) });
    hubs.set(services.metrics, hub);
  }
  return hub;
}
