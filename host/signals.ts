// How every long-running `skiff` command ends: on SIGTERM, SIGINT or SIGHUP it runs its `stop`
// once and exits 0 (1 if stopping fails or takes too long); a second signal exits at once.
// A launcher (`skiff up`, `skiff join`) ties its children to itself (process.ts `tiedToUs`): when
// it dies they get SIGTERM, and must be gone within 5 s.
import { readFileSync } from 'node:fs';

interface SignalLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Our parent when this module loaded: the launcher, for a component that `skiff up` started. */
const launcherPid = process.ppid;

/** PF_EXITING in /proc/<pid>/stat's flags: the process is dying. */
const PF_EXITING = 0x4;

/**
 * Whether the process that started us has died. Re-parenting is not enough to tell: the death
 * signal comes as the launcher's main thread exits, and until its other threads have gone we
 * still count as its child; by then its stat says it is exiting (or a zombie, or gone).
 */
export function launcherGone(): boolean {
  if (process.ppid !== launcherPid) return true;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${launcherPid}/stat`, 'utf8');
  } catch {
    return true;
  }
  const [state, , , , , , flags] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return state === 'Z' || state === 'X' || (Number(flags) & PF_EXITING) !== 0;
}

export function stopOnSignal(log: SignalLog, stop: () => Promise<void>, message = 'shutting down'): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // The kernel repeats the death signal as each of the dying launcher's threads goes; only a
      // signal from someone (a second Ctrl-C) means "now".
      if (!launcherGone()) process.exit(1);
      return;
    }
    stopping = true;
    // Orphaned by a dead launcher, nobody waits for a graceful stop: be gone within 5 s.
    const orphaned = launcherGone();
    const limitMs = orphaned ? 4000 : 10_000;
    log.info({ signal, ...(orphaned ? { launcher: 'gone' } : {}) }, message);
    setTimeout(() => {
      log.error({}, `stopping did not finish within ${limitMs / 1000}s, exiting`);
      process.exit(1);
    }, limitMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
}
