import { readFile, readdir, readlink } from "node:fs/promises";

/**
 * Where the agent reads the kernel from: /proc and /sys on a host, a recorded file tree in tests.
 * Reads return null when a file is missing or unreadable: a process can exit between two reads.
 */
export type KernelFiles = { proc: string; sys: string };
export const HOST_KERNEL: KernelFiles = { proc: "/proc", sys: "/sys" };

const MAX_FILE_BYTES = 1 << 20;

export async function readText(path: string): Promise<string | null> {
  try {
    const text = await readFile(path, "utf8");
    return text.length > MAX_FILE_BYTES ? text.slice(0, MAX_FILE_BYTES) : text;
  } catch {
    return null;
  }
}

export async function readTrimmed(path: string): Promise<string | null> {
  const text = await readText(path);
  return text === null ? null : text.trim();
}

export async function readNumber(path: string): Promise<number | null> {
  const text = await readTrimmed(path);
  if (text === null || !/^-?\d+$/.test(text)) return null;
  return Number(text);
}

export async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

export async function readLink(path: string): Promise<string | null> {
  try {
    return await readlink(path);
  } catch {
    return null;
  }
}
