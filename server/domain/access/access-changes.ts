import { EventEmitter } from "node:events";

/**
 * Raised after any change that can narrow someone's access (grants, roles, groups, teams, users,
 * sessions, tokens). Live connections re-check their caller at once instead of waiting for a reconnect.
 */
export class AccessChanges extends EventEmitter<{ changed: [reason: string] }> {
  notify(reason: string): void {
    this.emit("changed", reason);
  }
}
