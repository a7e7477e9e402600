// Installing Debian packages. Only launchers install, from the host's namespace, before they
// start what needs the packages; node processes never do (a node namespace has no route out).
import { spawn } from 'node:child_process';

/** Runs `apt-get` with its output on our stderr (so its progress shows), failing on non-zero exit. */
function aptGet(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('apt-get', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    p.once('error', (err) => reject(new Error(`cannot run apt-get: ${err.message}`)));
    p.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`\`apt-get ${args.join(' ')}\` failed (${signal ?? `exit code ${code}`})`))));
  });
}

/** `apt-get update && apt-get install -y --no-install-recommends <packages>` (needs root). */
export async function aptInstall(packages: string[]): Promise<void> {
  await aptGet(['update']);
  await aptGet(['install', '-y', '--no-install-recommends', ...packages]);
}
