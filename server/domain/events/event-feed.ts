import { EventEmitter } from "node:events";
import type { DockerEventItem } from "./event-item";

/** Newly stored engine events, from the agent gateway to the browser gateway. */
export class DockerEventFeed extends EventEmitter<{ stored: [DockerEventItem[]] }> {
  publish(items: DockerEventItem[]): void {
    if (items.length) this.emit("stored", items);
  }
}

// The two gateways share no dependency but the host registry (both are built by attach-realtime),
// so the feed of one set of services hangs off its registry: no module-level singleton, and test
// servers built side by side never see each other's events.
const feeds = new WeakMap<object, DockerEventFeed>();

export function dockerEventFeedFor(owner: object): DockerEventFeed {
  let feed = feeds.get(owner);
  if (!feed) {
    feed = new DockerEventFeed();
    feeds.set(owner, feed);
  }
  return feed;
}
