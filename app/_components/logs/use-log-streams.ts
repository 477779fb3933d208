"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { useLiveSocket } from "../live";
import { DEFAULT_CAPACITY, LogStore } from "./log-store";
import { LogSubscriptions, type LogTarget, type StreamStatus, type ViewerOptions } from "./log-subscriptions";
import { useFrameTick } from "./use-log-view";

/**
 * One viewer's store fed by the log streams of `targets`. Changing the read options (tail, since,
 * until, follow) or `generation` starts over with an empty store; adding or removing a target only
 * opens or closes that stream.
 */
export function useLogStreams(targets: LogTarget[], options: ViewerOptions, generation = 0, capacity = DEFAULT_CAPACITY) {
  const socket = useLiveSocket();
  const optionsKey = JSON.stringify(options);
  const store = useMemo(() => new LogStore(capacity), [capacity, optionsKey, generation]); // eslint-disable-line react-hooks/exhaustive-deps
  const [statuses, setStatuses] = useState<StreamStatus[]>([]);
  const latest = useRef<StreamStatus[]>([]);
  const [, bump] = useFrameTick();
  const subs = useRef<LogSubscriptions | null>(null);

  useEffect(() => {
    if (!socket) return;
    const s = new LogSubscriptions(socket, store, JSON.parse(optionsKey) as ViewerOptions, (st) => {
      latest.current = st;
      bump();
    });
    subs.current = s;
    return () => {
      s.dispose();
      subs.current = null;
    };
  }, [socket, store, optionsKey, bump]);

  const targetsKey = JSON.stringify(targets.map((t) => [t.hostId, t.containerId, t.hostName, t.containerName]));
  useEffect(() => {
    subs.current?.setTargets(JSON.parse(targetsKey).map(([hostId, containerId, hostName, containerName]: string[]) => ({ hostId, containerId, hostName, containerName })));
  }, [targetsKey, socket, store]);

  // Statuses change with every batch; copy them to React state at most once per frame.
  useEffect(() => {
    if (latest.current !== statuses) setStatuses(latest.current);
  });

  return { store, statuses, connected: socket !== null, retry: () => subs.current?.retryFailed() };
}
