"use client";

import { useEffect, useRef, useState } from "react";
import { useLiveSocket } from "../live";
import type { DockerEventItem } from "./event-format";

export type LiveEventsState = "connecting" | "live" | "refused" | "offline";

/**
 * Subscribes the tab's /live socket to engine events (one host, or every host the caller may read)
 * and hands each pushed batch to `onEvents`. Re-subscribes after every reconnect, calling
 * `onReconnect` so the caller can refetch what it missed.
 */
export function useLiveEvents(hostId: string | undefined, onEvents: (items: DockerEventItem[]) => void, onReconnect: () => void): LiveEventsState {
  const socket = useLiveSocket();
  const [state, setState] = useState<LiveEventsState>("connecting");
  const handlers = useRef({ onEvents, onReconnect });
  handlers.current = { onEvents, onReconnect };

  useEffect(() => {
    if (!socket) return;
    const payload = hostId ? { hostId } : {};
    let first = true;
    const subscribe = () => {
      socket.emit("events:subscribe", payload, (reply: { ok: boolean }) => setState(reply.ok ? "live" : "refused"));
      if (!first) handlers.current.onReconnect();
      first = false;
    };
    const onBatch = (items: DockerEventItem[]) => handlers.current.onEvents(items);
    const onDisconnect = () => setState("offline");
    const onEnded = (info: { stream: string }) => {
      if (info.stream.startsWith("events:")) setState("refused");
    };
    socket.on("connect", subscribe);
    socket.on("disconnect", onDisconnect);
    socket.on("docker:events", onBatch);
    socket.on("stream:ended", onEnded);
    if (socket.connected) subscribe();
    return () => {
      socket.off("connect", subscribe);
      socket.off("disconnect", onDisconnect);
      socket.off("docker:events", onBatch);
      socket.off("stream:ended", onEnded);
      if (socket.connected) socket.emit("events:unsubscribe", payload, () => undefined);
    };
  }, [socket, hostId]);

  return state;
}
