// A pid-file lock: one `skiff up` per home directory.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

export interface Lock {
  file: string;
  release(): void;
}

/**
 * Creates `file` holding our pid. If it exists and names a live process, throws `busy(pid)`;
 * a stale file (dead pid, garbage) is replaced.
 */
export function acquirePidLock(file: string, busy: (pid: number) => Error): Lock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return {
        file,
        release: () => {
          if (readPid(file) === process.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = readPid(file);
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) throw busy(pid);
    try {
      unlinkSync(file);
    } catch {
      // someone else removed it; retry
    }
  }
  throw new Error(`cannot take the lock ${file}; remove it if no skiff is running`);
}

/** The live process holding the lock `file`, if any. */
export function lockHolder(file: string): number | undefined {
  const pid = readPid(file);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
