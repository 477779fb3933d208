import { EventEmitter } from "node:events";

/** Progress of a long operation on a host (image pull, image import), pushed to browsers that may read the host. */
export type OperationProgress = {
  operationId: string;
  hostId: string;
  kind: "pull" | "import";
  status: string;
  currentBytes?: number;
  totalBytes?: number;
  done?: boolean;
  error?: string;
};

export class OperationProgressHub extends EventEmitter<{ progress: [OperationProgress] }> {
  report(progress: OperationProgress): void {
    this.emit("progress", progress);
  }
}
