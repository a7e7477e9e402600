// `skiff exec POD -- CMD…`: runs a command in a container over the WebSocket exec protocol
// (v5.channel.k8s.io: binary frames, first byte the channel — 0 stdin, 1 stdout, 2 stderr,
// 3 a final Status, 255 close-stdin).
import { Command } from 'commander';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { withQuery } from '../../client/index.js';
import { action, CliError, withClientFlags, type Session } from './session.js';

interface ExecFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

export function execCommand(): Command {
  return withClientFlags(new Command('exec'))
    .description('run a command in a container: skiff exec POD [-c C] [-i] -- CMD [ARGS…]')
    .argument('<pod>', 'the pod')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('-c, --container <name>', 'the container (default: the first)')
    .option('-i, --stdin', 'pass stdin to the command')
    .option('-t, --tty', 'allocate a terminal')
    .action(action(async (s: Session, podName: string, command: string[], flags: ExecFlags) => {
      const pod = await s.cs.pods.get(s.namespace, podName);
      const container = flags.container ?? pod.spec?.containers[0]?.name;
      const code = await runExec(s, podName, container, command, flags);
      process.exitCode = code;
    }));
}

function runExec(s: Session, pod: string, container: string | undefined, command: string[], flags: ExecFlags): Promise<number> {
  const cfg = s.cs.config;
  const base = s.cs.pods.path(s.namespace, pod, 'exec');
  const params = new URLSearchParams();
  for (const c of command) params.append('command', c);
  const path = withQuery(`${base}?${params.toString()}`, {
    container, stdin: flags.stdin ? true : undefined, stdout: true, stderr: flags.tty ? undefined : true, tty: flags.tty ? true : undefined,
  });
  const url = cfg.server.replace(/^http/, 'ws') + path;
  const ws = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
    headers: cfg.token ? { authorization: `Bearer ${cfg.token}` } : {},
    ...(cfg.caPem ? { ca: cfg.caPem } : {}),
    ...(cfg.certPem ? { cert: cfg.certPem } : {}),
    ...(cfg.keyPem ? { key: cfg.keyPem } : {}),
    rejectUnauthorized: !cfg.insecure,
  });
  return new Promise((resolve, reject) => {
    let exitCode = 0;
    ws.on('unexpected-response', (req, res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        let message = body.trim();
        try {
          message = (JSON.parse(body) as ExecStatus).message ?? message;
        } catch {
          // not a Status body
        }
        req.destroy();
        reject(new CliError(`exec is not available on this cluster (HTTP ${res.statusCode ?? 0}): ${message}`));
      });
    });
    ws.on('open', () => {
      if (!flags.stdin) return;
      process.stdin.on('data', (chunk: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), chunk])));
      process.stdin.on('end', () => {
        if (ws.protocol === 'v5.channel.k8s.io') ws.send(Buffer.from([255, 0]));
      });
    });
    ws.on('message', (data: Buffer) => {
      const channel = data[0];
      const payload = data.subarray(1);
      if (channel === 1) process.stdout.write(payload);
      else if (channel === 2) process.stderr.write(payload);
      else if (channel === 3) exitCode = exitCodeOf(JSON.parse(payload.toString('utf8')) as ExecStatus);
    });
    ws.on('close', () => {
      process.stdin.pause();
      resolve(exitCode);
    });
    ws.on('error', (err) => reject(err));
  });
}

/** Success → 0; NonZeroExitCode carries the code as a cause; anything else is a failure to run. */
function exitCodeOf(st: ExecStatus): number {
  if (st.status === 'Success') return 0;
  const code = st.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  if (code !== undefined && /^\d+$/.test(code)) return Number(code);
  process.stderr.write(`error: ${st.message ?? 'command failed'}\n`);
  return 1;
}
