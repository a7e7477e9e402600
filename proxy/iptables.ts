// Runs iptables and ip(8), optionally inside a named network namespace (`ip netns exec`), so
// the same code programs this machine or one of `skiff up`'s node namespaces.
import { execFile, spawn } from 'node:child_process';
import { chains } from './names.js';
import { ownChains, restoreText, type ExistingChains, type Ruleset } from './rules.js';

export interface CommandRunner {
  run(cmd: string, args: string[], input?: string): Promise<string>;
}

export class HostCommands implements CommandRunner {
  constructor(private readonly netns?: string) {}

  run(cmd: string, args: string[], input?: string): Promise<string> {
    const [file, argv] = this.netns ? ['ip', ['netns', 'exec', this.netns, cmd, ...args]] : [cmd, args];
    if (input === undefined) {
      return new Promise((resolve, reject) => {
        execFile(file, argv, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`));
          else resolve(stdout);
        });
      });
    }
    return new Promise((resolve, reject) => {
      const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let errText = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${errText.trim()}`))));
      child.stdin.on('error', () => undefined); // reported through the exit code
      child.stdin.end(input);
    });
  }
}

/** The jumps from the built-in chains into ours: [table, built-in chain, rule spec]. */
const hooks: Array<[string, string, string[]]> = [
  ['nat', 'PREROUTING', ['-m', 'comment', '--comment', 'skiff service portals', '-j', chains.services]],
  ['nat', 'OUTPUT', ['-m', 'comment', '--comment', 'skiff service portals', '-j', chains.services]],
  ['nat', 'POSTROUTING', ['-m', 'comment', '--comment', 'skiff postrouting rules', '-j', chains.postrouting]],
  ['filter', 'INPUT', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'skiff service portals', '-j', chains.services]],
  ['filter', 'FORWARD', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'skiff service portals', '-j', chains.services]],
  ['filter', 'OUTPUT', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'skiff service portals', '-j', chains.services]],
];

export class Iptables {
  constructor(readonly cmd: CommandRunner) {}

  async save(): Promise<string> {
    return this.cmd.run('iptables-save', []);
  }

  async existing(): Promise<ExistingChains> {
    return ownChains(await this.save());
  }

  /** One atomic transaction per table: our chains replaced, stale ones of ours deleted. */
  async restore(rs: Ruleset, existing: ExistingChains): Promise<void> {
    await this.cmd.run('iptables-restore', ['-w', '5', '--noflush'], restoreText(rs, existing));
  }

  /** Inserts the jumps into our chains at the top of the built-in chains, once each. */
  async ensureHooks(): Promise<void> {
    for (const [table, chain, spec] of hooks) {
      try {
        await this.cmd.run('iptables', ['-w', '5', '-t', table, '-C', chain, ...spec]);
      } catch {
        await this.cmd.run('iptables', ['-w', '5', '-t', table, '-I', chain, '1', ...spec]);
      }
    }
  }

  /** Removes the jumps and every chain of ours (found in iptables-save, so leftovers too). */
  async cleanup(): Promise<void> {
    for (const [table, chain, spec] of hooks) {
      // Delete every copy (a crashed older version may have inserted more than one).
      for (let i = 0; i < 10; i++) {
        try {
          await this.cmd.run('iptables', ['-w', '5', '-t', table, '-D', chain, ...spec]);
        } catch {
          break;
        }
      }
    }
    const have = await this.existing();
    const empty: Ruleset = { filterChains: [], natChains: [], filterRules: [], natRules: [] };
    if (have.filter.length + have.nat.length > 0) await this.restore(empty, have);
  }

  /** Whether iptables works here at all (root, binary present, kernel support). */
  async usable(): Promise<string | undefined> {
    if (process.getuid?.() !== 0) return 'not running as root';
    try {
      await this.cmd.run('iptables', ['-w', '5', '-t', 'nat', '-S', 'POSTROUTING']);
      await this.cmd.run('iptables-restore', ['--version']);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

/**
 * Routes the whole Service range to this machine (`local … dev lo`): a programmed VIP is
 * DNAT-ed before routing matters, an unprogrammed one is answered locally (refused) instead of
 * leaving through the default gateway. Checked afterwards with `ip route get`.
 */
export async function ensureServiceRoute(cmd: CommandRunner, cidr: string): Promise<void> {
  await cmd.run('ip', ['route', 'replace', 'local', cidr, 'dev', 'lo']);
  const probe = cidr.split('/')[0] ?? '';
  const got = await cmd.run('ip', ['route', 'get', probe]);
  if (!/^local\s/.test(got.trim())) throw new Error(`service range ${cidr} is not routed locally: ip route get ${probe} says ${got.trim()}`);
}
