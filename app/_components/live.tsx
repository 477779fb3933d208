"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";
import type { OperationProgress } from "../../server/realtime/operation-progress";
import { batchPerTask } from "./batch-per-task";
import { createFleetRefresher, type PushedChange } from "./fleet-refresh";
import { useTRPC, useTRPCClient } from "./trpc";
import { cx } from "./ui";

export type LiveState = "connecting" | "live" | "disconnected" | "no-access" | "ended";

const LiveContext = createContext<LiveState>("connecting");
export const useLiveState = () => useContext(LiveContext);

export type { OperationProgress };
type ProgressListener = (p: OperationProgress) => void;
const ProgressContext = createContext<Set<ProgressListener> | null>(null);

/** Calls `listener` with every `operation:progress` (image pull/import) the server pushes to this tab. */
export function useOperationProgress(listener: ProgressListener): void {
  const listeners = useContext(ProgressContext);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    if (!listeners) return;
    const fn: ProgressListener = (p) => ref.current(p);
    listeners.add(fn);
    return () => void listeners.delete(fn);
  }, [listeners]);
}

const SocketContext = createContext<Socket | null>(null);
/** The tab's one /live socket (null until the provider has opened it), for features with streams of their own. */
export const useLiveSocket = () => useContext(SocketContext);


/**
 * One socket per tab on the /live namespace. "fleet:changed" nudges invalidate the host and container
 * queries (react-query refetches what is on screen); every (re)connect does the same, since nudges
 * sent while disconnected are lost.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const [progressListeners] = useState(() => new Set<ProgressListener>());
  const [liveSocket, setLiveSocket] = useState<Socket | null>(null);

  useEffect(() => {
    const socket = io("/live", { withCredentials: true, transports: ["websocket", "polling"] });
    setLiveSocket(socket);
    // One refresh of the lists at a time; a nudge during it asks for one more after it. Nudging anew
    // used to cancel the fetch in flight: on a big fleet (40,000 containers) the lists then never
    // arrived, while the server still built every cancelled one (bench/fleet-scale.ts). A nudge
    // naming a few hosts reads just those hosts; one that carries the hosts' new state is merged
    // without a request (fleet-refresh.ts).
    const refresher = createFleetRefresher(queryClient, trpc, client);
    const refetchAll = () => refresher.nudge(null);
    socket.on("connect", () => {
      // The server joins us to the fleet stream only if we may read some host; it checks every request.
      socket.emit("fleet:subscribe", {}, (reply: { ok: boolean }) => {
        setState(reply.ok ? "live" : "no-access");
        // Nudges sent before this (re)connect were missed: refetch what is on screen, once we are in
        // the stream. A refetch sent before the join could be answered before a change the stream
        // then never brings (seen in CI: the fleet page stuck on "0 of 0 containers").
        refetchAll();
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
      });
    });
    socket.on("disconnect", () => setState((s) => (s === "ended" ? s : "disconnected")));
    socket.on("connect_error", () => setState((s) => (s === "ended" ? s : "disconnected")));
    // Pushes that queued while the page was busy are merged as one (batch-per-task.ts); later entries win.
    const pushed = batchPerTask<PushedChange>((changes) => {
      if (changes.some((c) => c.kinds.includes("alerts"))) void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
      refresher.apply(changes);
    });
    socket.on("fleet:changed", (changes: PushedChange[]) => pushed.add(changes));
    socket.on("operation:progress", (p: OperationProgress) => progressListeners.forEach((fn) => fn(p)));
    // Someone's access changed (maybe ours): refresh what we may do and see.
    socket.on("access:changed", () => {
      void queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
      refetchAll();
    });
    socket.on("stream:ended", (info?: { stream?: string }) => {
      // Only the fleet stream decides whether this tab is live; a log or terminal stream ending does not.
      if (info?.stream === "fleet") setState("no-access");
      void queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
      refetchAll();
    });
    socket.on("session:ended", () => {
      setState("ended");
      socket.io.opts.reconnection = false;
      window.location.assign("/login?ended=1");
    });
    return () => {
      setLiveSocket(null);
      pushed.cancel();
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [queryClient, trpc, client, progressListeners]);

  return (
    <LiveContext.Provider value={state}>
      <ProgressContext.Provider value={progressListeners}>
        <SocketContext.Provider value={liveSocket}>{children}</SocketContext.Provider>
      </ProgressContext.Provider>
    </LiveContext.Provider>
  );
}

const LIVE_TEXT: Record<LiveState, { label: string; description: string }> = {
  live: { label: "Live", description: "Live updates connected" },
  connecting: { label: "Connecting…", description: "Connecting to live updates" },
  disconnected: { label: "Disconnected", description: "Live updates disconnected; reconnecting" },
  "no-access": { label: "Not live", description: "Live updates stopped: you no longer have access to any host" },
  ended: { label: "Signed out", description: "Your session has ended" },
};

export function LiveIndicator() {
  const state = useLiveState();
  const { label, description } = LIVE_TEXT[state];
  return (
    <span
      role="status"
      aria-label={description}
      title={description}
      data-state={state}
      className={cx(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        state === "live" && "text-emerald-700 ring-emerald-600/25 dark:text-emerald-300 dark:ring-emerald-400/25",
        state === "connecting" && "text-zinc-600 ring-zinc-400/30 dark:text-zinc-400",
        (state === "disconnected" || state === "ended" || state === "no-access") && "bg-red-50 text-red-700 ring-red-600/25 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25",
      )}
    >
      <span aria-hidden="true" className="relative flex size-2">
        <span
          className={cx(
            "relative inline-flex size-2 rounded-full",
            state === "live" ? "bg-emerald-500" : state === "connecting" ? "bg-zinc-400" : "bg-red-500",
          )}
        />
      </span>
      {label}
    </span>
  );
}
