/** A failed container operation: a stable code for programs and Docker's own words for people. */
export class RuntimeError extends Error {
  constructor(
    readonly code:
      | "BAD_COMMAND" | "NOT_MODIFIED" | "NO_SUCH_CONTAINER" | "NO_SUCH_IMAGE" | "NO_SUCH_VOLUME" | "NO_SUCH_NETWORK"
      | "CONFLICT" | "DOCKER_ERROR" | "RUNTIME_UNAVAILABLE" | "UPLOAD_MISMATCH" | "PULL_FAILED",
    message: string,
  ) {
    super(message);
    this.name = "RuntimeError";
  }
}

type DockerModemError = Error & { statusCode?: number; reason?: string; json?: unknown };

export type ObjectKind = "container" | "image" | "volume" | "network";

/**
 * Turns a dockerode error into a RuntimeError, keeping the engine's message readable. A 404 names the
 * kind of object asked for; for anything but a container Docker's own text is kept (it may name an
 * image the create needed, not the container).
 */
export function toRuntimeError(err: unknown, ref: string, kind: ObjectKind = "container"): RuntimeError {
  const e = err as DockerModemError;
  const engineText = dockerMessage(e.json) ?? streamedText(e.message) ?? e.reason ?? e.message;
  switch (e.statusCode) {
    case 304:
      return new RuntimeError("NOT_MODIFIED", e.reason ?? "container already in that state"); // 304 has no body
    case 404:
      if (kind !== "container") return new RuntimeError(`NO_SUCH_${kind.toUpperCase() as "IMAGE"}`, engineText.slice(0, 1000));
      return new RuntimeError("NO_SUCH_CONTAINER", `no such container: ${ref}`);
    case 409:
      return new RuntimeError("CONFLICT", engineText);
    case undefined:
      return new RuntimeError("RUNTIME_UNAVAILABLE", `cannot reach the Docker engine: ${e.message}`.slice(0, 1000));
    default:
      return new RuntimeError("DOCKER_ERROR", engineText.slice(0, 1000));
  }
}

function dockerMessage(json: unknown): string | undefined {
  if (json && typeof json === "object" && typeof (json as { message?: unknown }).message === "string") {
    return (json as { message: string }).message;
  }
  return undefined;
}

/** For streaming calls (pull, import) docker-modem leaves `json` empty and puts the engine's text in the message. */
function streamedText(message: string | undefined): string | undefined {
  const text = /^\(HTTP code \d+\) [^-]* - ([\s\S]*)$/.exec(message ?? "")?.[1]?.trim();
  return text || undefined;
}
