// The node runtime API (runtime.proto, a CRI subset) for both ends: a typed client for the
// kubelet and typed handler registration for runtimes (the real one in runtime/, a fake one for
// hollow nodes).
//
// Conventions (fixed by LOADER_OPTIONS, mirrored by the types in types.ts): JS field names are
// lowerCamelCase, 64-bit integers are numbers, enums are their names ('CONTAINER_RUNNING'),
// received messages carry every field with its default and unset sub-messages as null.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ImageServiceMethods, Input, RuntimeServiceMethods } from './types.js';

export * from './types.js';

/** Source path, found from the compiled file (dist/proto/index.js → proto/runtime.proto). */
export const RUNTIME_PROTO_PATH = fileURLToPath(new URL('../../proto/runtime.proto', import.meta.url));

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export interface RuntimeProto {
  RuntimeService: grpc.ServiceClientConstructor;
  ImageService: grpc.ServiceClientConstructor;
}

let cached: RuntimeProto | undefined;

/** Loads runtime.proto once per process. */
export function loadRuntimeProto(): RuntimeProto {
  if (cached) return cached;
  const definition = protoLoader.loadSync(RUNTIME_PROTO_PATH, LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { runtime: { v1: RuntimeProto } };
  cached = { RuntimeService: pkg.runtime.v1.RuntimeService, ImageService: pkg.runtime.v1.ImageService };
  return cached;
}

export interface CallOptions {
  /** Deadline for this call in milliseconds (default: none). */
  timeoutMs?: number;
}

type Methods<M> = { [K in keyof M]: [unknown, unknown] };

/** A promise-returning client: `client.runPodSandbox({ config })`. */
export type TypedClient<M extends Methods<M>> = {
  [K in keyof M & string as Uncapitalize<K>]: (request: Input<M[K][0]>, options?: CallOptions) => Promise<M[K][1]>;
} & { close(): void; raw: grpc.Client };

export type RuntimeClient = TypedClient<RuntimeServiceMethods>;
export type ImageClient = TypedClient<ImageServiceMethods>;

/** A gRPC failure with its status code (`err.code === grpc.status.NOT_FOUND`). */
export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

type UnaryCall = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: unknown) => void,
) => void;

function typedClient<M extends Methods<M>>(ctor: grpc.ServiceClientConstructor, endpoint: string): TypedClient<M> {
  const client = new ctor(endpoint, grpc.credentials.createInsecure());
  const out: Record<string, unknown> = { close: () => client.close(), raw: client };
  for (const name of Object.keys(ctor.service)) {
    const call = (client as unknown as Record<string, UnaryCall>)[name];
    if (!call) continue;
    const lower = name.charAt(0).toLowerCase() + name.slice(1);
    out[lower] = (request: unknown, options: CallOptions = {}) =>
      new Promise((resolve, reject) => {
        const callOptions: grpc.CallOptions = {};
        if (options.timeoutMs !== undefined) callOptions.deadline = Date.now() + options.timeoutMs;
        call.call(client, request ?? {}, new grpc.Metadata(), callOptions, (err, response) => {
          if (err) reject(new RpcError(err.code, `${name}: ${err.details || err.message}`));
          else resolve(response);
        });
      });
  }
  return out as TypedClient<M>;
}

/** Client for the RuntimeService at `unix:///path/runtime.sock`. */
export function runtimeClient(endpoint: string): RuntimeClient {
  return typedClient<RuntimeServiceMethods>(loadRuntimeProto().RuntimeService, endpoint);
}

/** Client for the ImageService at `unix:///path/runtime.sock`. */
export function imageClient(endpoint: string): ImageClient {
  return typedClient<ImageServiceMethods>(loadRuntimeProto().ImageService, endpoint);
}

/** Server-side handlers: receive full request shapes, may return partial responses. */
export type Handlers<M extends Methods<M>> = {
  [K in keyof M]: (request: M[K][0]) => Promise<Input<M[K][1]>>;
};

export type RuntimeHandlers = Handlers<RuntimeServiceMethods>;
export type ImageHandlers = Handlers<ImageServiceMethods>;

/** Called for a handler failure that is not an RpcError (an internal fault), before INTERNAL goes back. */
export type FaultLogger = (method: string, err: unknown) => void;

function unaryHandlers(handlers: Record<string, (request: unknown) => Promise<unknown>>, onFault: FaultLogger): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers)) {
    impl[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      handler(call.request).then(
        (response) => callback(null, response ?? {}),
        (err: unknown) => {
          if (err instanceof RpcError) return callback({ code: err.code, details: err.message });
          onFault(name, err);
          callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
        },
      );
    };
  }
  return impl;
}

/** Registers both services on a grpc.Server. */
export function addRuntimeServices(
  server: grpc.Server,
  runtime: RuntimeHandlers,
  images: ImageHandlers,
  onFault: FaultLogger = () => {},
): void {
  const proto = loadRuntimeProto();
  server.addService(proto.RuntimeService.service, unaryHandlers(runtime as never, onFault));
  server.addService(proto.ImageService.service, unaryHandlers(images as never, onFault));
}

/** Binds a grpc.Server to `unix:///path` (or host:port) and resolves once it listens. */
export function bindServer(server: grpc.Server, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.bindAsync(endpoint, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
  });
}

export { grpc };
