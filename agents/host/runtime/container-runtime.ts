import type { AgentQuery, Container, ContainerCommand, ControlCommand, HostFacts, UploadChunk } from "../../protocol";

/** A container event from the runtime, reduced to what the inventory needs. */
export type RuntimeEvent = { id: string; action: string; time: number };

/** How a long control operation talks back while it runs: progress out, upload slices in. */
export type ControlIo = {
  progress(p: { status: string; currentBytes?: number; totalBytes?: number }): void;
  readUpload(offset: number, length: number): Promise<UploadChunk>;
  /** The largest slice readUpload may ask for. */
  chunkBytes: number;
};

/** What the agent needs from a container engine; Docker is the one implementation today. */
export interface ContainerRuntime {
  /** Resolves when the engine answers; rejects with a readable reason otherwise. */
  ping(): Promise<void>;
  facts(): Promise<HostFacts>;
  listContainers(): Promise<Container[]>;
  /** The current state of one container, or null once it no longer exists. */
  getContainer(id: string): Promise<Container | null>;
  /**
   * Streams container events until the signal aborts or the engine goes away;
   * resolves when the stream has started, calls onEnd once when it stops.
   */
  watchEvents(onEvent: (e: RuntimeEvent) => void, onEnd: (err: Error | null) => void, signal: AbortSignal): Promise<void>;
  /**
   * Runs one allow-listed lifecycle operation (start, stop, kill, rename, ...) on one container.
   * Rejects with a RuntimeError whose message keeps the engine's own text.
   */
  runLifecycle(command: ContainerCommand): Promise<void>;
  /**
   * Runs one allow-listed control operation (create, recreate, images, volumes, networks) and returns
   * its reply data. Rejects with a RuntimeError keeping the engine's own text.
   */
  runControl(command: ControlCommand, io: ControlIo): Promise<unknown>;
  /** Answers one allow-listed read (inspect, lists). */
  query(query: AgentQuery): Promise<unknown>;
}
