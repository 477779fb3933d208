// Tiny wrapper around the docker CLI for tests.
import { execFile, type ExecFileException } from 'node:child_process';

export class DockerCliError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly exitCode: number | string | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'DockerCliError';
  }
}

/**
 * Runs `docker ...args` (against `dockerHost`, e.g. "unix:///tmp/x/docker.sock",
 * when given; otherwise DOCKER_HOST / the default engine). Resolves with stdout
 * (trailing whitespace trimmed); rejects with a DockerCliError carrying stderr.
 */
export function docker(
  args: string[],
  dockerHost?: string,
  options: { timeoutMs?: number } = {},
): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (dockerHost) env.DOCKER_HOST = dockerHost;
  return new Promise((resolve, reject) => {
    execFile(
      'docker',
      args,
      {
        env,
        timeout: options.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
      },
      (err: ExecFileException | null, stdout: string, stderr: string) => {
        if (err) {
          const detail = stderr.trim() || err.message;
          reject(
            new DockerCliError(
              `docker ${args.join(' ')} failed: ${detail}`,
              args,
              err.code ?? err.signal ?? null,
              stderr,
            ),
          );
          return;
        }
        resolve(stdout.trimEnd());
      },
    );
  });
}
