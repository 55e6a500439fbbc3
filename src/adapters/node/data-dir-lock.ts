import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** Another live process holds the data folder: the embedded database takes one process at a time. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
  readonly token: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export const lockFileName = "croupier.lock";

function readLock(path: string): LockContent | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockContent;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    // Never written partly (it is linked into place whole): an unreadable lock was edited by hand; it names no live process.
    return { pid: 0, host: hostname(), command: "unknown", startedAt: "unknown", token: "" };
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    // Another process removed it first.
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
}

/** Whether the process that wrote a lock still runs. A lock from another host cannot be checked: it counts as live. */
function alive(lock: LockContent): boolean {
  if (lock.host !== hostname()) return true;
  if (!Number.isInteger(lock.pid) || lock.pid <= 0) return false;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: string }).code === "EPERM";
  }
}

/**
 * Takes `dataDir/croupier.lock` for this process, before anything else touches the folder. Two
 * processes on one embedded database would each keep their own copy of it in memory and overwrite
 * each other's writes, so a second one is refused, naming the first. The lock is created whole (a
 * temporary file hard-linked into place, which fails if the lock exists), holds the owner's pid, and
 * is released on close or process exit; a lock left by a process that died is taken over.
 */
export function lockDataDir(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, lockFileName);
  const content: LockContent = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  const temporary = `${path}.${process.pid}.${content.token}`;
  writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, path);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "EEXIST" || attempt >= 3) throw error;
      }
      const holder = readLock(path);
      if (holder === null) continue;
      if (alive(holder)) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by process ${holder.pid} on ${holder.host} (${holder.command}, started ${holder.startedAt}). ` +
            "The embedded database takes one process at a time: stop that process first (or, for an account, create it through the running server's API), " +
            `or use another --data-dir. If no such process runs, delete ${path}.`,
        );
      }
      // Its owner died without releasing it.
      removeIfPresent(path);
    }
  } finally {
    unlinkSync(temporary);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own lock: never one a later process took after ours was judged stale.
    if (readLock(path)?.token === content.token) removeIfPresent(path);
  };
  process.on("exit", release);
  return { path, release };
}
