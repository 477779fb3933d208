import Docker from "dockerode";
import type { EngineEventBatch } from "../../protocol";
import type { Logger } from "../log";
import { dockerOptions } from "../runtime/docker-runtime";
import { EngineEventStream, type EventStream, type OpenEventStream } from "./engine-event-stream";
import { EventBatcher, type SendResult } from "./event-batcher";

export type EngineEventsOptions = {
  dockerHost: string;
  log: Logger;
  /** Delivers one batch to the server; "retry" keeps it for later (e.g. while not connected). */
  send(batch: EngineEventBatch): Promise<SendResult>;
  /** Replaces the Docker client (tests). */
  open?: OpenEventStream;
};

export type EngineEvents = {
  /** The server link is (back) up: deliver what waits. */
  resume(): void;
  stop(): void;
};

/** Forwards every Docker engine event to the server, batched, across engine restarts and server reconnects. */
export function startEngineEvents(opts: EngineEventsOptions): EngineEvents {
  const open = opts.open ?? dockerEventSource(opts.dockerHost);
  let droppedSinceWarn = 0;
  const batcher = new EventBatcher({
    send: opts.send,
    onDropped: (n) => {
      if (droppedSinceWarn === 0) opts.log.warn("engine event queue full; dropping the oldest events");
      droppedSinceWarn += n;
    },
  });
  const stream = new EngineEventStream({ open, onEvent: (e) => batcher.push(e), log: opts.log });
  stream.start();
  return {
    resume: () => {
      droppedSinceWarn = 0;
      batcher.resume();
    },
    stop: () => {
      stream.stop();
      batcher.stop();
    },
  };
}

/** The engine's /events over its own client: docker-modem's timeout is an idle timeout and would cut a quiet stream. */
export function dockerEventSource(dockerHost: string): OpenEventStream {
  const client = new Docker({ ...dockerOptions(dockerHost), timeout: undefined });
  // The engine takes "seconds.nanoseconds" for since; the typings only know numbers.
  return async (since) => (await client.getEvents((since ? { since } : {}) as Docker.GetEventsOptions)) as unknown as EventStream;
}
