"use client";

import { useEffect, useRef } from "react";
import type { Socket } from "socket.io-client";
import type { LiveMetricsTick } from "../../../server/domain/metrics/metrics-hub";
import { useLiveSocket } from "../live";

export type { LiveMetricsTick };
type Listener = (tick: LiveMetricsTick) => void;
type Entry = { hostId: string; containerId: string | null; listeners: Set<Listener> };

/**
 * Metric subscriptions of this tab, counted per (host, container): the server sees one subscribe per
 * key however many panels want it, every key is subscribed again after a reconnect, and each tick
 * goes to the listeners of its host.
 */
class MetricSubscriptions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly socket: Socket) {
    socket.on("metrics:tick", (tick: LiveMetricsTick) => {
      for (const e of this.entries.values()) if (e.hostId === tick.hostId) e.listeners.forEach((fn) => fn(tick));
    });
    socket.on("connect", () => {
      for (const e of this.entries.values()) this.send("metrics:subscribe", e);
    });
  }

  add(hostId: string, containerId: string | null, fn: Listener): () => void {
    const key = `${hostId}|${containerId ?? ""}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { hostId, containerId, listeners: new Set() };
      this.entries.set(key, e);
      if (this.socket.connected) this.send("metrics:subscribe", e);
    }
    e.listeners.add(fn);
    return () => {
      e.listeners.delete(fn);
      if (e.listeners.size) return;
      this.entries.delete(key);
      if (this.socket.connected) this.send("metrics:unsubscribe", e);
    };
  }

  private send(event: string, e: Entry) {
    this.socket.emit(event, e.containerId ? { hostId: e.hostId, containerId: e.containerId } : { hostId: e.hostId }, () => undefined);
  }
}

const bySocket = new WeakMap<Socket, MetricSubscriptions>();

/** Calls `onTick` with every live tick of the host (detail included for `containerId` when given). */
export function useMetricTicks(hostIds: readonly string[], containerId: string | null, onTick: Listener): void {
  const socket = useLiveSocket();
  const ref = useRef(onTick);
  ref.current = onTick;
  const key = hostIds.join(",");
  useEffect(() => {
    if (!socket || !key) return;
    let subs = bySocket.get(socket);
    if (!subs) bySocket.set(socket, (subs = new MetricSubscriptions(socket)));
    const offs = key.split(",").map((hostId) => subs.add(hostId, containerId, (t) => ref.current(t)));
    return () => offs.forEach((off) => off());
  }, [socket, key, containerId]);
}
