// What every client verb starts from: the kubeconfig flags, a Clientset, the namespace, and one
// place that turns failures into kubectl's one-line errors and a non-zero exit.
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Clientset, Transport } from '../../client/index.js';

type ClientModule = typeof import('../../client/index.js');
/** The few client parts `skiff version` needs (kubeconfig, one HTTP request), without every kind's schema. */
type LightClient = Pick<ClientModule, 'kubeconfigPath' | 'loadKubeconfig' | 'Transport' | 'ApiError'>;
let clientModule: ClientModule | undefined;
let light: LightClient | undefined;

/** The API client, loaded on first use: it pulls in every kind's schema, which `skiff version` never needs. */
export async function loadClient(): Promise<ClientModule> {
  clientModule ??= await import('../../client/index.js');
  light = clientModule;
  return clientModule;
}

async function loadLight(): Promise<LightClient> {
  if (!light) {
    const [config, transport, errors] = await Promise.all([import('../../client/config.js'), import('../../client/transport.js'), import('../../client/errors.js')]);
    light = { ...config, ...transport, ...errors };
  }
  return light;
}

function client(): ClientModule {
  if (!clientModule) throw new Error('the API client is not loaded yet (loadClient)');
  return clientModule;
}

/** yaml, loaded when a kubeconfig is read. */
const requireYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export interface ClientFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** The connection and namespace of one command, read from the kubeconfig on first use (so `version --client` needs none). */
export class Session {
  private clientset?: Clientset;
  private bare?: Transport;
  private ns?: string;

  constructor(private readonly flags: ClientFlags) {}

  get cs(): Clientset {
    if (!this.clientset) {
      const { Clientset, loadKubeconfig } = client();
      this.clientset = new Clientset(loadKubeconfig(this.existingKubeconfig(), this.flags.context), { userAgent: 'skiff-cli' });
    }
    return this.clientset;
  }

  /** The bare HTTP transport, loading only what it needs (for verbs run with `lazyClient`). */
  async transport(): Promise<Transport> {
    if (this.clientset) return this.clientset.transport;
    const { loadKubeconfig, Transport } = await loadLight();
    this.bare ??= new Transport(loadKubeconfig(this.existingKubeconfig(), this.flags.context), 'skiff-cli');
    return this.bare;
  }

  /** -n, else the context's namespace, else `default`. */
  get namespace(): string {
    this.ns ??= this.flags.namespace ?? contextNamespace(this.kubeconfig(), this.flags.context) ?? 'default';
    return this.ns;
  }

  /** True when -n was given explicitly (apply checks manifests against it). */
  get namespaceFlag(): boolean {
    return this.flags.namespace !== undefined;
  }

  close(): void {
    this.clientset?.close();
    this.bare?.close();
  }

  private existingKubeconfig(): string {
    const path = this.kubeconfig();
    if (!existsSync(path)) throw new CliError(`no kubeconfig at ${path}: pass --kubeconfig or set KUBECONFIG (skiff up writes <home>/kubeconfig)`);
    return path;
  }

  /** kubectl's order; when it finds nothing, the kubeconfig a default `skiff up` wrote. */
  private kubeconfig(): string {
    if (!light) throw new Error('the API client is not loaded yet (loadClient)');
    const path = light.kubeconfigPath(this.flags.kubeconfig);
    if (this.flags.kubeconfig || process.env.KUBECONFIG || existsSync(path)) return path;
    const skiffHome = join(homedir(), '.skiff', 'kubeconfig');
    return existsSync(skiffHome) ? skiffHome : path;
  }
}

/** Adds --kubeconfig, --context and -n/--namespace to a verb. */
export function withClientFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'namespace of the request');
}

/** The `namespace` of the kubeconfig's context, which loadKubeconfig does not report. */
function contextNamespace(path: string, context?: string): string | undefined {
  try {
    const doc = requireYaml().parse(readFileSync(path, 'utf8')) as { 'current-context'?: string; contexts?: Array<{ name: string; context?: { namespace?: string } }> };
    const name = context ?? doc['current-context'];
    return doc.contexts?.find((c) => c.name === name)?.context?.namespace || undefined;
  } catch {
    return undefined;
  }
}

/** A user-facing failure that is not the server's (printed as `error: …`). */
export class CliError extends Error {}

/** kubectl's wording: `Error from server (NotFound): …` for API errors, `error: …` otherwise. */
export function errorLine(err: unknown): string {
  const ApiError = light?.ApiError; // not loaded: then no API call was made
  if (ApiError && err instanceof ApiError) {
    const reason = /^HTTP\d+$/.test(err.reason) ? undefined : err.reason;
    return reason ? `Error from server (${reason}): ${err.message}` : `Error from server: ${err.message}`;
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return `error: the connection to the server was refused - is the cluster running? (${err.message})`;
    return `error: ${err.message}`;
  }
  return `error: ${String(err)}`;
}

/**
 * Wraps a verb's action: loads the client (unless `lazyClient`: the verb calls `connect()` when
 * it needs the server), opens the session, runs, closes the connection pool, and on failure
 * prints one line and exits 1 (SKIFF_DEBUG=1 adds the stack).
 */
export function action<A extends unknown[]>(
  run: (s: Session, ...args: A) => Promise<void>,
  opts: { lazyClient?: boolean } = {},
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    // commander passes (...positionals, options, command); the options object is second to last.
    const flags = args[args.length - 2] as ClientFlags;
    const session = new Session(flags);
    try {
      if (!opts.lazyClient) await loadClient();
      await run(session, ...args);
    } catch (err) {
      process.stderr.write(`${errorLine(err)}\n`);
      if (process.env.SKIFF_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
      process.exitCode = 1;
    } finally {
      session.close();
    }
  };
}
