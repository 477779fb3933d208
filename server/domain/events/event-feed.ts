import { EventEmitter } from "node:events";
import type { DockerEventItem } from "./event-item";

/** Newly stored engine events, from the agent gateway to the browser gateway. */
export class DockerEventFeed extends EventEmitter<{ stored: [DockerEventItem[]] }> {
  publish(items: DockerEventItem[]): void {
    if (items.length) this.emit("stored", items);
  }
}
