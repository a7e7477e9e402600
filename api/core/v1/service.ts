// core/v1 Service.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ConditionSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { IntOrStringSchema, StringMapSchema } from '../../meta/v1/primitives.js';

export const ServicePortSchema = z.strictObject({
  name: z.string().optional(),
  protocol: z.string().optional(),
  appProtocol: z.string().optional(),
  port: z.number().int(),
  targetPort: IntOrStringSchema.optional(),
  nodePort: z.number().int().optional(),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

export const ClientIPConfigSchema = z.strictObject({
  timeoutSeconds: z.number().int().optional(),
});
export type ClientIPConfig = z.infer<typeof ClientIPConfigSchema>;

export const SessionAffinityConfigSchema = z.strictObject({
  clientIP: ClientIPConfigSchema.optional(),
});
export type SessionAffinityConfig = z.infer<typeof SessionAffinityConfigSchema>;

export const ServiceSpecSchema = z.strictObject({
  ports: z.array(ServicePortSchema).optional(),
  selector: StringMapSchema.optional(),
  clusterIP: z.string().optional(),
  clusterIPs: z.array(z.string()).optional(),
  type: z.string().optional(),
  externalIPs: z.array(z.string()).optional(),
  sessionAffinity: z.string().optional(),
  loadBalancerIP: z.string().optional(),
  loadBalancerSourceRanges: z.array(z.string()).optional(),
  externalName: z.string().optional(),
  externalTrafficPolicy: z.string().optional(),
  healthCheckNodePort: z.number().int().optional(),
  publishNotReadyAddresses: z.boolean().optional(),
  sessionAffinityConfig: SessionAffinityConfigSchema.optional(),
  ipFamilies: z.array(z.string()).optional(),
  ipFamilyPolicy: z.string().optional(),
  allocateLoadBalancerNodePorts: z.boolean().optional(),
  loadBalancerClass: z.string().optional(),
  internalTrafficPolicy: z.string().optional(),
  trafficDistribution: z.string().optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

export const PortStatusSchema = z.strictObject({
  port: z.number().int(),
  protocol: z.string(),
  error: z.string().optional(),
});
export type PortStatus = z.infer<typeof PortStatusSchema>;

export const LoadBalancerIngressSchema = z.strictObject({
  ip: z.string().optional(),
  hostname: z.string().optional(),
  ipMode: z.string().optional(),
  ports: z.array(PortStatusSchema).optional(),
});
export type LoadBalancerIngress = z.infer<typeof LoadBalancerIngressSchema>;

export const LoadBalancerStatusSchema = z.strictObject({
  ingress: z.array(LoadBalancerIngressSchema).optional(),
});
export type LoadBalancerStatus = z.infer<typeof LoadBalancerStatusSchema>;

export const ServiceStatusSchema = z.strictObject({
  loadBalancer: LoadBalancerStatusSchema.optional(),
  conditions: z.array(ConditionSchema).optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const ServiceSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: ServiceSpecSchema.optional(),
  status: ServiceStatusSchema.optional(),
});
export type Service = z.infer<typeof ServiceSchema>;
