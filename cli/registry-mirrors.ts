// `skiff up --registry-mirror REGISTRY=URL` / `--registry-config FILE`: the registries.yaml (k3s
// format) every node's runtime pulls with.
//
// Loopback mirrors: each node's runtime runs in the node's network namespace, whose 127.0.0.1 is
// its own, not the host's, and which has no default route. A user who runs a registry on the
// host's 127.0.0.1:5000 still expects `--registry-mirror docker.io=http://127.0.0.1:5000` to work,
// so up rewrites such a URL to the host bridge address (the only host address a node reaches) and
// relays bridgeIp:PORT → 127.0.0.1:PORT in the host namespace for as long as the cluster runs. A
// plain TCP relay needs no change to the user's registry (which may listen on loopback only) and
// no iptables/route_localnet rules to clean up.
import { writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadRegistriesFile } from '../runtime/images/registry-config.js';

export interface Mirror {
  registry: string;
  url: URL;
}

const loopbackHost = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Parses `REGISTRY=URL` (e.g. `docker.io=http://127.0.0.1:5000`); errors name the flag. */
export function parseMirror(value: string): Mirror {
  const eq = value.indexOf('=');
  const registry = eq > 0 ? value.slice(0, eq) : '';
  const bad = (why: string): Error => new Error(`--registry-mirror ${value}: ${why}; give REGISTRY=URL, e.g. docker.io=http://127.0.0.1:5000`);
  if (!registry || !/^(\*|[a-z0-9.-]+(:\d+)?)$/i.test(registry)) throw bad('no registry name before "="');
  let url: URL;
  try {
    url = new URL(value.slice(eq + 1));
  } catch {
    throw bad(`"${value.slice(eq + 1)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('the URL must be http:// or https://');
  return { registry, url };
}

/** Checks a user's registries.yaml before anything starts; returns its absolute path. */
export function checkRegistriesFile(path: string): string {
  const file = resolve(path);
  loadRegistriesFile(file); // throws "--registry-config FILE: …"
  return file;
}

const defaultPort = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * Writes <home>/registries.yaml from the mirrors. With `nodeHost` (nodes in their own namespace),
 * loopback mirrors point at nodeHost instead; `relays` lists the ports to relay from there.
 */
export function writeMirrorsFile(home: string, mirrors: Mirror[], nodeHost?: string): { file: string; relays: number[] } {
  const endpoints: Record<string, { endpoint: string[] }> = {};
  const relays = new Set<number>();
  for (const m of mirrors) {
    const url = new URL(m.url);
    if (nodeHost && loopbackHost.test(url.hostname)) {
      relays.add(defaultPort(url));
      url.hostname = nodeHost;
    }
    (endpoints[m.registry] ??= { endpoint: [] }).endpoint.push(url.href.replace(/\/$/, ''));
  }
  const file = join(home, 'registries.yaml');
  writeFileSync(file, `# written by skiff up from --registry-mirror; edits are replaced on the next up\n${stringify({ mirrors: endpoints })}`);
  return { file, relays: [...relays] };
}

/** Relays host:port → 127.0.0.1:port for each port; resolves once all listen. */
export async function startLoopbackRelays(host: string, ports: number[]): Promise<() => void> {
  const servers: Server[] = [];
  const stop = (): void => servers.forEach((s) => s.close());
  try {
    for (const port of ports) {
      const server = createServer((inbound) => {
        const outbound = connect(port, '127.0.0.1');
        inbound.pipe(outbound).pipe(inbound);
        inbound.on('error', () => outbound.destroy());
        outbound.on('error', () => inbound.destroy());
      });
      servers.push(server);
      await new Promise<void>((ok, fail) => {
        server.once('error', (err) => fail(new Error(`--registry-mirror: cannot relay ${host}:${port} to 127.0.0.1:${port} for the nodes: ${err.message}`)));
        server.listen(port, host, ok);
      });
    }
  } catch (err) {
    stop();
    throw err;
  }
  return stop;
}
