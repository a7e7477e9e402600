// core/v1 pod and container security contexts.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';

export const AppArmorProfileSchema = z.strictObject({
  type: z.string(),
  localhostProfile: z.string().optional(),
});
export type AppArmorProfile = z.infer<typeof AppArmorProfileSchema>;

export const CapabilitiesSchema = z.strictObject({
  add: z.array(z.string()).optional(),
  drop: z.array(z.string()).optional(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const SELinuxOptionsSchema = z.strictObject({
  user: z.string().optional(),
  role: z.string().optional(),
  type: z.string().optional(),
  level: z.string().optional(),
});
export type SELinuxOptions = z.infer<typeof SELinuxOptionsSchema>;

export const SeccompProfileSchema = z.strictObject({
  type: z.string(),
  localhostProfile: z.string().optional(),
});
export type SeccompProfile = z.infer<typeof SeccompProfileSchema>;

export const WindowsSecurityContextOptionsSchema = z.strictObject({
  gmsaCredentialSpecName: z.string().optional(),
  gmsaCredentialSpec: z.string().optional(),
  runAsUserName: z.string().optional(),
  hostProcess: z.boolean().optional(),
});
export type WindowsSecurityContextOptions = z.infer<typeof WindowsSecurityContextOptionsSchema>;

export const SecurityContextSchema = z.strictObject({
  capabilities: CapabilitiesSchema.optional(),
  privileged: z.boolean().optional(),
  seLinuxOptions: SELinuxOptionsSchema.optional(),
  windowsOptions: WindowsSecurityContextOptionsSchema.optional(),
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  procMount: z.string().optional(),
  seccompProfile: SeccompProfileSchema.optional(),
  appArmorProfile: AppArmorProfileSchema.optional(),
});
export type SecurityContext = z.infer<typeof SecurityContextSchema>;

export const SysctlSchema = z.strictObject({
  name: z.string(),
  value: z.string(),
});
export type Sysctl = z.infer<typeof SysctlSchema>;

export const PodSecurityContextSchema = z.strictObject({
  seLinuxOptions: SELinuxOptionsSchema.optional(),
  windowsOptions: WindowsSecurityContextOptionsSchema.optional(),
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
  supplementalGroups: z.array(z.number().int()).optional(),
  supplementalGroupsPolicy: z.string().optional(),
  fsGroup: z.number().int().optional(),
  sysctls: z.array(SysctlSchema).optional(),
  fsGroupChangePolicy: z.string().optional(),
  seccompProfile: SeccompProfileSchema.optional(),
  appArmorProfile: AppArmorProfileSchema.optional(),
  seLinuxChangePolicy: z.string().optional(),
});
export type PodSecurityContext = z.infer<typeof PodSecurityContextSchema>;
