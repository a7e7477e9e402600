// `skiff status`: is the local cluster up, are its components running, are its nodes Ready.
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Clientset, loadKubeconfig } from '../client/index.js';

interface StatusFile {
  pid: number;
  components: Array<{ name: string; pid: number; restarts: number; logFile: string; where: string }>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd()).join('\n');
}

export function statusCommand(): Command {
  return new Command('status')
    .description('show whether the local cluster, its components and its nodes are healthy')
    .option('--home <dir>', 'the cluster home given to `skiff up`', join(homedir(), '.skiff'))
    .action(async (flags: { home: string }) => {
      const home = resolve(flags.home);
      const file = join(home, 'status.json');
      if (!existsSync(file)) throw new Error(`no cluster has run from ${home} (start one with: npx skiff up --home ${home})`);
      const st = JSON.parse(readFileSync(file, 'utf8')) as StatusFile;
      if (!alive(st.pid) || !existsSync(join(home, 'up.pid'))) {
        process.stdout.write(`cluster at ${home}: not running\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`cluster at ${home}: running (skiff up pid ${st.pid})\n\n`);
      const rows = [['COMPONENT', 'PID', 'STATUS', 'RESTARTS', 'ADDRESS', 'LOG']];
      let down = 0;
      for (const c of st.components) {
        const ok = alive(c.pid);
        if (!ok) down++;
        rows.push([c.name, String(c.pid), ok ? 'running' : 'down', String(c.restarts), c.where, c.logFile]);
      }
      process.stdout.write(`${table(rows)}\n\n`);
      const cs = new Clientset(loadKubeconfig(join(home, 'kubeconfig')), { userAgent: 'skiff-status' });
      try {
        const nodes = (await cs.nodes.list(undefined)).items;
        const nodeRows = [['NODE', 'STATUS', 'ADDRESS', 'POD CIDR', 'PODS']];
        const pods = (await cs.pods.list(undefined)).items;
        let notReady = 0;
        for (const n of nodes) {
          const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
          if (ready?.status !== 'True') notReady++;
          const name = n.metadata?.name ?? '';
          nodeRows.push([
            name,
            ready?.status === 'True' ? 'Ready' : ready?.status === 'Unknown' ? 'NotReady (unreachable)' : 'NotReady',
            n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
            n.spec?.podCIDR ?? '',
            String(pods.filter((p) => p.spec?.nodeName === name).length),
          ]);
        }
        process.stdout.write(nodes.length ? `${table(nodeRows)}\n` : 'no nodes registered\n');
        if (down > 0 || notReady > 0) process.exitCode = 1;
      } finally {
        cs.close();
      }
    });
}
