// Starts an independent, throw-away Docker engine for multi-host tests.
//
// The engine gets its own data-root, exec-root, socket, pidfile, config file,
// cgroup parent and its own managed containerd (dockerd 20.10 spawns one under
// <dir>/exec/containerd as long as no system containerd listens on
// /run/containerd/containerd.sock; the containerd namespace is made unique too,
// so even a shared system containerd would not mix the two engines up).
// It runs in its own network namespace with `--bridge none --iptables=false`,
// so it touches neither the host's docker0 nor the main engine's iptables rules
// (its socket is a plain file, reachable from the host as usual). On it, containers run with no --network flag
// or with `--network none` / `--network host`; "default"/"bridge" are accepted
// but only give a loopback interface (there is no bridge network).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promises as fsp, openSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker } from './docker-cli';

export interface SecondEngine {
  /** absolute path of the engine's unix socket */
  socketPath: string;
  /** "unix://<socketPath>", usable as DOCKER_HOST or `docker -H` */
  dockerHost: string;
  /** stops the engine and removes its directory; safe to call twice */
  stop(): Promise<void>;
  /** stops dockerd as a service stop would (SIGTERM: containers stopped, state kept) */
  stopDaemon(): Promise<void>;
  /** starts dockerd again on the same roots and socket; resolves once it answers */
  startDaemon(): Promise<void>;
}

const IMPORT_SCRIPT = fileURLToPath(new URL('../../scripts/import-busybox.sh', import.meta.url));
const UNIX_PATH_MAX = 107; // sun_path is 108 bytes including the NUL

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

async function logTail(file: string, lines = 25): Promise<string> {
  try {
    const text = await fsp.readFile(file, 'utf8');
    return text
      .trimEnd()
      .split('\n')
      .filter((l) => !l.includes('[core]')) // grpc reconnect chatter
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(hasExited(child));
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** mount points at or below `dir`, deepest first */
async function mountsUnder(dir: string): Promise<string[]> {
  let info: string;
  try {
    info = await fsp.readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mp): mp is string => !!mp)
    .map(unescape)
    .filter((mp) => mp === dir || mp.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

async function unmountAll(dir: string): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const mounts = await mountsUnder(dir);
    if (mounts.length === 0) return;
    for (const mp of mounts) {
      await run('umount', [mp], { timeoutMs: 10_000 }).catch(() =>
        run('umount', ['-l', mp], { timeoutMs: 10_000 }).catch(() => undefined),
      );
    }
  }
}

/** SIGKILL processes left behind (containerd, shims, container processes) */
async function killLeftovers(dir: string, cgroupParent: string): Promise<void> {
  const pids = new Set<number>();
  // containerd and shims mention the engine directory on their command line
  for (const entry of await fsp.readdir('/proc').catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir + '/')) pids.add(pid);
    } catch {
      /* gone */
    }
  }
  // container processes live in cgroups below our private cgroup parent
  const roots = [path.join('/sys/fs/cgroup', cgroupParent)];
  for (const ctl of await fsp.readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    roots.push(path.join('/sys/fs/cgroup', ctl, cgroupParent));
  }
  const cgroupDirs: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    cgroupDirs.push(d);
    for (const e of entries) if (e.isDirectory()) await walk(path.join(d, e.name));
  };
  for (const r of roots) await walk(r);
  for (const d of cgroupDirs) {
    try {
      for (const p of readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n')) {
        if (p.trim()) pids.add(Number(p));
      }
    } catch {
      /* no procs file */
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (pids.size > 0) await sleep(500);
  // remove the (now empty) cgroups, deepest first
  for (const d of cgroupDirs.sort((a, b) => b.length - a.length)) {
    await fsp.rmdir(d).catch(() => undefined);
  }
}

export async function startSecondEngine(opts: {
  dir: string;
  /** how long to wait for the engine to answer (default 60 s) */
  startTimeoutMs?: number;
}): Promise<SecondEngine> {
  const dir = path.resolve(opts.dir);
  const socketPath = path.join(dir, 'docker.sock');
  const dockerHost = `unix://${socketPath}`;
  // the longest socket path involved is containerd's ttrpc socket
  const longest = path.join(dir, 'exec', 'containerd', 'containerd.sock.ttrpc');
  if (Buffer.byteLength(longest) > UNIX_PATH_MAX) {
    throw new Error(`second engine dir too long for unix sockets (${longest}); use a short dir like /tmp/pe2.XXXX`);
  }
  await fsp.mkdir(dir, { recursive: true });
  const configFile = path.join(dir, 'daemon.json');
  await fsp.writeFile(configFile, '{}\n'); // ignore /etc/docker/daemon.json
  const logFile = path.join(dir, 'dockerd.log');
  const tag = path.basename(dir).replace(/[^A-Za-z0-9_.-]/g, '_');
  const cgroupParent = `/portolan-${tag}`;

  const args = [
    '--config-file', configFile,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', path.join(dir, 'exec'),
    '-H', dockerHost,
    '--pidfile', path.join(dir, 'docker.pid'),
    '--bridge', 'none',
    '--iptables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    '--containerd-namespace', `portolan-${tag}`,
    '--containerd-plugins-namespace', `portolan-${tag}-plugins`,
    '--cgroup-parent', cgroupParent,
  ];
  const launch = (): ChildProcess => {
    const logFd = openSync(logFile, 'a');
    let started: ChildProcess;
    try {
      // Own network namespace: a dockerd started with `--bridge none` deletes the
      // host's docker0 at startup (libnetwork removeDefaultBridgeInterface), which
      // breaks the main engine ("could not find bridge docker0"). `unshare` and
      // `sh` exec, so the spawned pid is dockerd itself (and its group leader).
      started = spawn(
        'unshare',
        ['--net', '--', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec dockerd "$@"', 'dockerd', ...args],
        { detached: true, stdio: ['ignore', logFd, logFd] },
      );
    } finally {
      closeSync(logFd);
    }
    started.on('error', () => undefined); // reported through hasExited / spawn failure below
    started.unref(); // a forgotten stop() must not keep the test process alive
    return started;
  };
  let child = launch();
  let pid = child.pid;

  const waitAnswering = async (timeoutMs: number): Promise<void> => {
    if (pid === undefined) throw new Error('could not spawn dockerd');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (hasExited(child)) {
        throw new Error(
          `dockerd exited (${child.exitCode ?? child.signalCode}) before answering; log tail:\n${await logTail(logFile)}`,
        );
      }
      try {
        await docker(['version', '--format', '{{.Server.Version}}'], dockerHost, { timeoutMs: 5_000 });
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(`dockerd at ${dockerHost} did not answer in time; log tail:\n${await logTail(logFile)}`);
        }
        await sleep(250);
      }
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid !== undefined && !hasExited(child)) {
        // kill containers first: PID-1 `sleep` ignores SIGTERM, and dockerd's
        // shutdown would otherwise wait 10 s per container
        try {
          const ids = (await docker(['ps', '-q'], dockerHost, { timeoutMs: 5_000 })).split(/\s+/).filter(Boolean);
          if (ids.length) await docker(['kill', ...ids], dockerHost, { timeoutMs: 15_000 });
        } catch {
          /* engine may be unresponsive: fall through to signals */
        }
        killGroup(pid, 'SIGTERM');
        if (!(await waitExit(child, 20_000))) {
          killGroup(pid, 'SIGKILL');
          await waitExit(child, 5_000);
        }
      }
      await killLeftovers(dir, cgroupParent);
      await unmountAll(dir);
      await fsp.rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 }).catch(() => undefined);
    })();
    return stopping;
  };

  try {
    await waitAnswering(opts.startTimeoutMs ?? 60_000);
    await run('bash', [IMPORT_SCRIPT], { env: { ...process.env, DOCKER_HOST: dockerHost }, timeoutMs: 120_000 });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  const stopDaemon = async (): Promise<void> => {
    if (pid === undefined || hasExited(child)) return;
    process.kill(pid, 'SIGTERM'); // dockerd only: it stops its containers and its containerd itself
    if (!(await waitExit(child, 60_000))) throw new Error(`dockerd did not stop; log tail:\n${await logTail(logFile)}`);
  };
  const startDaemon = async (): Promise<void> => {
    if (!hasExited(child)) throw new Error('dockerd is still running');
    child = launch();
    pid = child.pid;
    await waitAnswering(opts.startTimeoutMs ?? 60_000);
  };

  return { socketPath, dockerHost, stop, stopDaemon, startDaemon };
}
