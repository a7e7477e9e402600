// One throwaway etcd for a test run: free ports, a temp data dir, always cleaned up — on normal
// teardown, on process exit, on Ctrl-C/SIGTERM, and (through a small watchdog process) even
// when the test process is killed outright.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEtcdInstalled, startEtcd, type Etcd } from '../host/etcd.js';
import { freePort } from '../host/process.js';

export interface TestEtcd {
  url: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

/** The run's etcd client URL (set by the mocha global set-up in hooks.ts). */
export function testEtcdUrl(): string {
  const url = process.env.SKIFF_TEST_ETCD;
  if (!url) throw new Error('SKIFF_TEST_ETCD is not set; run the tests with `npm test` (the mocha set-up starts etcd)');
  return url;
}

export async function startTestEtcd(): Promise<TestEtcd> {
  const binary = await ensureEtcdInstalled({ log: (line) => process.stderr.write(`[test etcd] ${line}\n`) });
  const root = mkdtempSync(join(tmpdir(), 'skiff-test-etcd-'));
  const dataDir = join(root, 'data');
  let etcd: Etcd | undefined;
  let watchdog: number | undefined;

  const cleanupSync = (): void => {
    if (etcd?.child.running()) {
      try {
        process.kill(etcd.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
    if (watchdog !== undefined) {
      try {
        process.kill(watchdog, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n[test etcd] ${signal}: removing the test etcd\n`);
    cleanupSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', cleanupSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // Ports can be taken between freePort() and etcd binding them; try a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        etcd = await startEtcd({
          binary,
          dataDir,
          clientPort: await freePort(),
          peerPort: await freePort(),
          logFile: join(root, 'etcd.log'),
        });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    watchdog = startWatchdog(etcd.pid, root);
  } catch (err) {
    cleanupSync();
    process.removeListener('exit', cleanupSync);
    throw err;
  }

  const started = etcd;
  return {
    url: started.url,
    dataDir,
    pid: started.pid,
    stop: async () => {
      process.removeListener('exit', cleanupSync);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await started.stop();
      cleanupSync();
    },
  };
}

/** A detached process that kills etcd and removes `dir` once this process has gone. */
function startWatchdog(etcdPid: number, dir: string): number | undefined {
  const script = `
    const [parent, etcd, dir] = process.argv.slice(1);
    setInterval(() => {
      try { process.kill(Number(parent), 0); return; } catch {}
      try { process.kill(Number(etcd), 'SIGKILL'); } catch {}
      require('fs').rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }, 1000);`;
  const p = spawn(process.execPath, ['-e', script, String(process.pid), String(etcdPid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  p.on('error', () => {}); // best effort
  p.unref();
  return p.pid;
}
