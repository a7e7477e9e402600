// `skiff version`: the client's version and the server's /version.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { action, CliError, withClientFlags, type Session } from './session.js';

interface VersionInfo {
  major?: string;
  minor?: string;
  gitVersion?: string;
  platform?: string;
}

function clientVersion(): VersionInfo {
  const pkgPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../package.json');
  const { version } = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
  const [major, minor] = version.split('.');
  return { major: major ?? '', minor: minor ?? '', gitVersion: `v${version}`, platform: `${process.platform}/${process.arch}` };
}

export function versionCommand(): Command {
  return withClientFlags(new Command('version'))
    .description('print the client and server versions')
    .option('--client', 'the client version only (no server contact)')
    .option('-o, --output <format>', 'yaml or json')
    .action(action(async (s: Session, flags: { client?: boolean; output?: string }) => {
      if (flags.output !== undefined && flags.output !== 'yaml' && flags.output !== 'json') throw new CliError(`--output must be 'yaml' or 'json'`);
      const client = clientVersion();
      const doc: { clientVersion: VersionInfo; serverVersion?: VersionInfo } = { clientVersion: client };
      let serverError: unknown;
      if (!flags.client) {
        try {
          doc.serverVersion = await (await s.transport()).request<VersionInfo>('GET', '/version', { timeoutMs: 10_000 });
        } catch (err) {
          serverError = err;
        }
      }
      if (flags.output === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      else if (flags.output === 'yaml') process.stdout.write((createRequire(import.meta.url)('yaml') as typeof import('yaml')).stringify(doc));
      else {
        process.stdout.write(`Client Version: ${client.gitVersion}\n`);
        if (doc.serverVersion) process.stdout.write(`Server Version: ${doc.serverVersion.gitVersion}\n`);
      }
      if (serverError) throw serverError;
    }, { lazyClient: true }));
}
