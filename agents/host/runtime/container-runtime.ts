import type { Container, ContainerCommand, HostFacts } from "../../protocol";

/** A container event from the runtime, reduced to what the inventory needs. */
export type RuntimeEvent = { id: string; action: string; time: number };

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
}
