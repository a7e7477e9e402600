// How every long-running `skiff` command ends: on SIGTERM or SIGINT it runs its `stop` once and
// exits 0 (1 if stopping fails or takes over 10 s); a second signal exits at once.
interface SignalLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export function stopOnSignal(log: SignalLog, stop: () => Promise<void>, message = 'shutting down'): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, message);
    setTimeout(() => {
      log.error({}, 'stopping did not finish within 10s, exiting');
      process.exit(1);
    }, 10_000).unref();
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
}
