// core/v1 probes and lifecycle hooks.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { IntOrStringSchema } from '../../meta/v1/primitives.js';

export const ExecActionSchema = z.strictObject({
  command: z.array(z.string()).optional(),
});
export type ExecAction = z.infer<typeof ExecActionSchema>;

export const GRPCActionSchema = z.strictObject({
  port: z.number().int(),
  service: z.string().optional(),
});
export type GRPCAction = z.infer<typeof GRPCActionSchema>;

export const HTTPHeaderSchema = z.strictObject({
  name: z.string(),
  value: z.string(),
});
export type HTTPHeader = z.infer<typeof HTTPHeaderSchema>;

export const HTTPGetActionSchema = z.strictObject({
  path: z.string().optional(),
  port: IntOrStringSchema,
  host: z.string().optional(),
  scheme: z.string().optional(),
  httpHeaders: z.array(HTTPHeaderSchema).optional(),
});
export type HTTPGetAction = z.infer<typeof HTTPGetActionSchema>;

export const TCPSocketActionSchema = z.strictObject({
  port: IntOrStringSchema,
  host: z.string().optional(),
});
export type TCPSocketAction = z.infer<typeof TCPSocketActionSchema>;

export const ProbeHandlerSchema = z.strictObject({
  exec: ExecActionSchema.optional(),
  httpGet: HTTPGetActionSchema.optional(),
  tcpSocket: TCPSocketActionSchema.optional(),
  grpc: GRPCActionSchema.optional(),
});
export type ProbeHandler = z.infer<typeof ProbeHandlerSchema>;

export const ProbeSchema = z.strictObject({
  ...ProbeHandlerSchema.shape,
  initialDelaySeconds: z.number().int().optional(),
  timeoutSeconds: z.number().int().optional(),
  periodSeconds: z.number().int().optional(),
  successThreshold: z.number().int().optional(),
  failureThreshold: z.number().int().optional(),
  terminationGracePeriodSeconds: z.number().int().optional(),
});
export type Probe = z.infer<typeof ProbeSchema>;

export const SleepActionSchema = z.strictObject({
  seconds: z.number().int(),
});
export type SleepAction = z.infer<typeof SleepActionSchema>;

export const LifecycleHandlerSchema = z.strictObject({
  exec: ExecActionSchema.optional(),
  httpGet: HTTPGetActionSchema.optional(),
  tcpSocket: TCPSocketActionSchema.optional(),
  sleep: SleepActionSchema.optional(),
});
export type LifecycleHandler = z.infer<typeof LifecycleHandlerSchema>;

export const LifecycleSchema = z.strictObject({
  postStart: LifecycleHandlerSchema.optional(),
  preStop: LifecycleHandlerSchema.optional(),
});
export type Lifecycle = z.infer<typeof LifecycleSchema>;
