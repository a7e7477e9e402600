// `skiff image ls|pull|rm`: the images of the local nodes (or one runtime endpoint), through each
// node's CRI ImageService, shown as `crictl images` shows them.
import { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { imageClient, type Image, type ImageClient } from '../proto/index.js';

interface Flags {
  home: string;
  node?: string;
  runtimeEndpoint?: string;
}

/** The runtime endpoints to talk to: the one given, or every node of the local cluster (`--node` picks one). */
function endpoints(flags: Flags): Array<{ node: string; endpoint: string }> {
  if (flags.runtimeEndpoint) return [{ node: '-', endpoint: flags.runtimeEndpoint }];
  const nodes = join(resolve(flags.home), 'nodes');
  const found = (existsSync(nodes) ? readdirSync(nodes) : [])
    .filter((n) => existsSync(join(nodes, n, 'runtime.sock')) && (!flags.node || n === flags.node))
    .map((n) => ({ node: n, endpoint: `unix://${join(nodes, n, 'runtime.sock')}` }));
  if (found.length === 0) throw new Error(flags.node ? `--node: no running node ${JSON.stringify(flags.node)} in ${nodes}` : `no running nodes in ${nodes} (start a cluster with \`skiff up\`, or give --runtime-endpoint)`);
  return found;
}

async function eachNode<T>(flags: Flags, f: (client: ImageClient, node: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const { node, endpoint } of endpoints(flags)) {
    const client = imageClient(endpoint);
    try {
      out.push(await f(client, node));
    } finally {
      client.close();
    }
  }
  return out;
}

function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 2 : v < 100 && i > 0 ? 1 : 0)}${units[i]}`;
}

function rows(node: string, i: Image): string[][] {
  const id = i.id.replace(/^sha256:/, '').slice(0, 13);
  const tags = i.repoTags.length > 0 ? i.repoTags : [`${i.repoDigests[0]?.split('@')[0] ?? '<none>'}:<none>`];
  return tags.map((t) => {
    const colon = t.lastIndexOf(':');
    return [node, t.slice(0, colon), t.slice(colon + 1), id, humanSize(i.size)];
  });
}

function table(data: string[][]): string {
  const widths = data[0]?.map((_, c) => Math.max(...data.map((r) => (r[c] ?? '').length))) ?? [];
  return data.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd((widths[c] ?? 0) + 3))).join('').trimEnd()).join('\n');
}

const common = (cmd: Command): Command =>
  cmd
    .option('--home <dir>', 'the cluster home given to `skiff up`', join(homedir(), '.skiff'))
    .option('--node <name>', 'only this node of the local cluster')
    .option('--runtime-endpoint <endpoint>', 'a CRI runtime socket instead of the local nodes, unix:///path/runtime.sock');

export function imageCommand(): Command {
  const image = new Command('image').description("manage the images of the local nodes' runtimes (like crictl images)");
  image.addCommand(
    common(new Command('ls').description('list images')).action(async (flags: Flags) => {
      const lists = await eachNode(flags, async (c, node) => (await c.listImages({})).images.flatMap((i) => rows(node, i)));
      process.stdout.write(`${table([['NODE', 'IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], ...lists.flat()])}\n`);
    }),
  );
  image.addCommand(
    common(new Command('pull').description('pull an image into every local node (or --node)').argument('<image>')).action(async (ref: string, flags: Flags) => {
      await eachNode(flags, async (c, node) => {
        const started = Date.now();
        process.stdout.write(`${node}: pulling ${ref}…\n`);
        const { imageRef } = await c.pullImage({ image: { image: ref } });
        process.stdout.write(`${node}: Image is up to date for ${imageRef} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
      });
    }),
  );
  image.addCommand(
    common(new Command('rm').description('remove images from every local node (or --node)').argument('<image...>')).action(async (refs: string[], flags: Flags) => {
      await eachNode(flags, async (c, node) => {
        for (const ref of refs) {
          const { image: found } = await c.imageStatus({ image: { image: ref } });
          if (!found) throw new Error(`${node}: no such image ${JSON.stringify(ref)}`);
          await c.removeImage({ image: { image: found.id } });
          process.stdout.write(`${node}: Deleted: ${found.repoTags[0] ?? found.id}\n`);
        }
      });
    }),
  );
  return image;
}
