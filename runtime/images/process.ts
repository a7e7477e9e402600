// What a container runs, by Kubernetes' rules over the image config (as containerd applies
// them): the pod's `command` replaces the Entrypoint and drops the image Cmd; `args` alone
// replace the Cmd; the image Env comes first and the pod's variables override it by name; the
// working directory defaults to the image's; the user is runAsUser/runAsUsername, else the
// image's User ("name", "uid", "name:group", "uid:gid"), names resolved through the image's
// /etc/passwd and /etc/group, with the primary group and those that list the user as supplementary groups.
import type { ContainerConfig } from '../../proto/index.js';
import type { RunConfig } from './store.js';

export interface ProcessSpec {
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  additionalGids: number[];
}

/** Reads a file of the image (e.g. etc/passwd), undefined when it has none. */
export type ImageFileReader = (rel: string) => Promise<string | undefined>;

export class ProcessError extends Error {}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

function passwd(text: string | undefined): PasswdEntry[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2] ?? '') && /^\d+$/.test(f[3] ?? ''))
    .map((f) => ({ name: f[0] as string, uid: Number(f[2]), gid: Number(f[3]) }));
}

function groups(text: string | undefined): Array<{ name: string; gid: number; members: string[] }> {
  return (text ?? '')
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[2] ?? ''))
    .map((f) => ({ name: f[0] as string, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

function argv(config: ContainerConfig, image: RunConfig): string[] {
  const command = config.command;
  let args = config.args;
  if (command.length > 0) return [...command, ...args];
  if (args.length === 0) args = image.Cmd ?? [];
  const entrypoint = image.Entrypoint ?? [];
  return [...(entrypoint.length === 1 && entrypoint[0] === '' ? [] : entrypoint), ...args];
}

function mergeEnv(image: string[], pod: ContainerConfig['envs']): string[] {
  const out = new Map<string, string>();
  for (const e of image) {
    const eq = e.indexOf('=');
    out.set(eq === -1 ? e : e.slice(0, eq), eq === -1 ? '' : e.slice(eq + 1));
  }
  for (const e of pod) out.set(e.key, e.value);
  return [...out].map(([k, v]) => `${k}=${v}`);
}

export async function processFor(config: ContainerConfig, image: RunConfig, read: ImageFileReader): Promise<ProcessSpec> {
  const args = argv(config, image);
  if (args.length === 0) throw new ProcessError('config.command: the image has no Entrypoint or Cmd, so the container must give a command');
  const sc = config.linux?.securityContext;
  const [userPart, groupPart] = (sc?.runAsUser ? String(sc.runAsUser.value) : sc?.runAsUsername || image.User || '0').split(':') as [string, string | undefined];
  let users: PasswdEntry[] | undefined;
  const users_ = async (): Promise<PasswdEntry[]> => (users ??= passwd(await read('etc/passwd')));
  let uid: number;
  let gid = 0;
  let name: string | undefined;
  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const entry = (await users_()).find((u) => u.uid === uid);
    if (entry) ({ gid, name } = entry);
  } else {
    const entry = (await users_()).find((u) => u.name === userPart);
    if (!entry) throw new ProcessError(`user ${JSON.stringify(userPart)} is not in the image's /etc/passwd`);
    ({ uid, gid, name } = entry);
  }
  const groupFile = groupPart !== undefined || name ? groups(await read('etc/group')) : [];
  if (groupPart !== undefined) {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const g = groupFile.find((x) => x.name === groupPart);
      if (!g) throw new ProcessError(`group ${JSON.stringify(groupPart)} is not in the image's /etc/group`);
      gid = g.gid;
    }
  }
  if (sc?.runAsGroup) gid = sc.runAsGroup.value;
  // The primary group leads the list, as containerd has done since the fix for CVE-2023-25173.
  const additional = new Set<number>([gid, ...(name ? groupFile.filter((g) => g.members.includes(name as string)).map((g) => g.gid) : [])]);
  for (const g of sc?.supplementalGroups ?? []) additional.add(g);
  return {
    args,
    env: mergeEnv(image.Env ?? [], config.envs),
    cwd: config.workingDir || image.WorkingDir || '/',
    uid,
    gid,
    additionalGids: [...additional],
  };
}
