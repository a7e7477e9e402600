// What the kubelet needs from a container runtime: the typed CRI clients of proto/ (RuntimeService
// and the ImageService calls it makes), minus the raw gRPC handle, so the in-process fake runtime
// of hollow nodes can stand in for the real one.
import { grpc, imageClient, RpcError, runtimeClient, type ImageClient, type RuntimeClient } from '../proto/index.js';
import type { ImageOps } from './image-pull.js';

export type Runtime = Omit<RuntimeClient, 'raw'> & ImageOps & Pick<ImageClient, 'listImages' | 'removeImage' | 'imageFsInfo'>;

/** Labels the kubelet puts on sandboxes and containers; its state is rebuilt from them after a restart. */
export const labels = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** 'init' or 'regular'. */
  containerType: 'io.kubernetes.container.type',
} as const;

/** Connects to a runtime at `unix:///path/runtime.sock`. */
export function connectRuntime(endpoint: string): Runtime {
  const rt = runtimeClient(endpoint);
  const images = imageClient(endpoint);
  return {
    ...rt,
    imageStatus: images.imageStatus,
    pullImage: images.pullImage,
    listImages: images.listImages,
    removeImage: images.removeImage,
    imageFsInfo: images.imageFsInfo,
    close: () => {
      rt.close();
      images.close();
    },
  };
}

export function isRpcStatus(err: unknown, code: grpc.status): boolean {
  return err instanceof RpcError && err.code === code;
}

export const rpcStatus = grpc.status;
