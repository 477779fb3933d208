import type { CgroupInfo } from "../../../agents/protocol";
import { readNumber, readText, readTrimmed, type KernelFiles } from "./kernel-files";

/** /proc/<pid>/cgroup: the v2 path ("0::/…") and each v1 controller's path. */
export function parseProcCgroup(text: string): { v2: string | null; v1: Map<string, string> } {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of text.split("\n")) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === "0" && m[2] === "") v2 = m[3]!;
    else for (const controller of m[2]!.split(",")) if (controller && !controller.startsWith("name=")) v1.set(controller, m[3]!);
  }
  return { v2, v1 };
}

/** systemd names its cgroups *.slice / *.scope; Docker's cgroupfs driver puts containers under /docker/. */
export function cgroupDriver(path: string): CgroupInfo["driver"] {
  if (/\.(slice|scope)(\/|$)/.test(path)) return "systemd";
  if (/\/docker\/[a-f0-9]{64}/.test(path) || path.startsWith("/docker")) return "cgroupfs";
  return "unknown";
}

// The kernel's "unlimited" for v1 memory is PAGE_COUNTER_MAX pages: anything this large is no limit.
const V1_UNLIMITED = 2 ** 60;

/** The cgroup of one process and the limits in force, read from the cgroup files (v1 or v2). */
export async function readCgroup(files: KernelFiles, pid: number): Promise<CgroupInfo | null> {
  const text = await readText(`${files.proc}/${pid}/cgroup`);
  if (text === null) return null;
  const parsed = parseProcCgroup(text);
  const root = `${files.sys}/fs/cgroup`;
  if (parsed.v1.size) return readV1(root, parsed.v1);
  if (parsed.v2 !== null) return readV2(root, parsed.v2);
  return null;
}

async function readV1(root: string, paths: Map<string, string>): Promise<CgroupInfo> {
  const at = (controller: string, file: string) => `${root}/${controller}${paths.get(controller) ?? ""}/${file}`;
  const memory = await readNumber(at("memory", "memory.limit_in_bytes"));
  const memsw = await readNumber(at("memory", "memory.memsw.limit_in_bytes"));
  const quota = await readNumber(at("cpu", "cpu.cfs_quota_us"));
  const pidsMax = await readTrimmed(at("pids", "pids.max"));
  const path = paths.get("memory") ?? paths.get("pids") ?? [...paths.values()][0] ?? "/";
  return {
    version: "1",
    driver: cgroupDriver(path),
    path,
    limits: {
      memoryBytes: memory !== null && memory < V1_UNLIMITED ? memory : null,
      memorySwapBytes: memsw !== null && memsw < V1_UNLIMITED ? memsw : null,
      cpuQuotaUs: quota !== null && quota > 0 ? quota : null,
      cpuPeriodUs: await readNumber(at("cpu", "cpu.cfs_period_us")),
      cpuShares: await readNumber(at("cpu", "cpu.shares")),
      cpuWeight: null,
      ...(await cpusets(`${root}/cpuset`, at("cpuset", ""))),
      pidsMax: pidsMax && /^\d+$/.test(pidsMax) ? Number(pidsMax) : null,
      blockIo: await v1BlockIo(at("blkio", "")),
    },
    usage: { memoryBytes: await readNumber(at("memory", "memory.usage_in_bytes")), pids: await readNumber(at("pids", "pids.current")) },
  };
}

async function readV2(root: string, path: string): Promise<CgroupInfo> {
  const dir = `${root}${path === "/" ? "" : path}`;
  const max = async (file: string) => {
    const v = await readTrimmed(`${dir}/${file}`);
    return v && /^\d+$/.test(v) ? Number(v) : null; // "max" or missing: no limit
  };
  const cpuMax = ((await readTrimmed(`${dir}/cpu.max`)) ?? "max").split(/\s+/);
  const memory = await max("memory.max");
  const swap = await max("memory.swap.max");
  return {
    version: "2",
    driver: cgroupDriver(path),
    path,
    limits: {
      memoryBytes: memory,
      // v2 limits swap alone (memory.swap.max); the field is memory + swap, like v1's memsw and
      // Docker's --memory-swap: --memory 64m --memory-swap 128m writes memory.swap.max = 64m.
      memorySwapBytes: memory !== null && swap !== null ? memory + swap : null,
      cpuQuotaUs: cpuMax[0] && /^\d+$/.test(cpuMax[0]) ? Number(cpuMax[0]) : null,
      cpuPeriodUs: cpuMax[1] && /^\d+$/.test(cpuMax[1]) ? Number(cpuMax[1]) : null,
      cpuShares: null,
      cpuWeight: await readNumber(`${dir}/cpu.weight`),
      ...(await cpusets(root, `${dir}/`)),
      pidsMax: await max("pids.max"),
      blockIo: parseIoMax((await readText(`${dir}/io.max`)) ?? ""),
    },
    usage: { memoryBytes: await readNumber(`${dir}/memory.current`), pids: await readNumber(`${dir}/pids.current`) },
  };
}

/** A cpuset equal to the whole machine's (or empty, which v2 uses for "inherit") is no limit. */
async function cpusets(rootDir: string, dir: string) {
  const read = async (file: string) => {
    const own = await readTrimmed(`${dir}${file}`);
    const all = (await readTrimmed(`${rootDir}/${file}.effective`)) ?? (await readTrimmed(`${rootDir}/${file}`));
    return !own || own === all ? null : own;
  };
  return { cpusetCpus: await read("cpuset.cpus"), cpusetMems: await read("cpuset.mems") };
}

const V1_BLKIO = { "blkio.throttle.read_bps_device": "read bps", "blkio.throttle.write_bps_device": "write bps", "blkio.throttle.read_iops_device": "read iops", "blkio.throttle.write_iops_device": "write iops" };

async function v1BlockIo(dir: string): Promise<CgroupInfo["limits"]["blockIo"]> {
  const out: CgroupInfo["limits"]["blockIo"] = [];
  for (const [file, kind] of Object.entries(V1_BLKIO)) {
    for (const line of ((await readText(`${dir}${file}`)) ?? "").split("\n")) {
      const m = /^(\d+:\d+)\s+(\d+)$/.exec(line.trim());
      if (m) out.push({ device: m[1]!, kind, value: Number(m[2]) });
    }
  }
  const weight = await readNumber(`${dir}blkio.weight`);
  if (weight) out.push({ device: "all", kind: "weight", value: weight });
  return out;
}

const V2_IO_KEYS: Record<string, string> = { rbps: "read bps", wbps: "write bps", riops: "read iops", wiops: "write iops" };

/** v2 io.max: "8:0 rbps=1048576 wbps=max riops=max wiops=max" per device. */
export function parseIoMax(text: string): CgroupInfo["limits"]["blockIo"] {
  const out: CgroupInfo["limits"]["blockIo"] = [];
  for (const line of text.split("\n")) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    if (!device || !/^\d+:\d+$/.test(device)) continue;
    for (const pair of pairs) {
      const [key, value] = pair.split("=");
      if (key && value && /^\d+$/.test(value) && V2_IO_KEYS[key]) out.push({ device, kind: V2_IO_KEYS[key]!, value: Number(value) });
    }
  }
  return out;
}
