/** A failed container operation: a stable code for programs and Docker's own words for people. */
export class RuntimeError extends Error {
  constructor(
    readonly code: "BAD_COMMAND" | "NOT_MODIFIED" | "NO_SUCH_CONTAINER" | "CONFLICT" | "DOCKER_ERROR" | "RUNTIME_UNAVAILABLE",
    message: string,
  ) {
    super(message);
    this.name = "RuntimeError";
  }
}

type DockerModemError = Error & { statusCode?: number; reason?: string; json?: unknown };

/** Turns a dockerode error into a RuntimeError, keeping the engine's message readable. */
export function toRuntimeError(err: unknown, ref: string): RuntimeError {
  const e = err as DockerModemError;
  const engineText = dockerMessage(e.json) ?? e.reason ?? e.message;
  switch (e.statusCode) {
    case 304:
      return new RuntimeError("NOT_MODIFIED", e.reason ?? "container already in that state"); // 304 has no body
    case 404:
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
