// The OCI runtime spec (bundle config.json) for one container: the process from the CRI
// ContainerConfig, the pod's network namespace, own mount/PID/UTS/IPC namespaces, the per-pod
// /etc files and the kubelet's volume mounts as binds, and cpu/memory limits as cgroup settings
// (runc applies them on cgroup v1 and v2 alike).
import { existsSync } from 'node:fs';
import type { ContainerConfig, LinuxContainerResources } from '../proto/index.js';
import type { ProcessSpec } from './images/process.js';

/** Docker's/containerd's default capability set for unprivileged containers. */
const DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Privileged containers get every capability the kernel knows of. */
const ALL_CAPS = [
  ...DEFAULT_CAPS,
  ...['DAC_READ_SEARCH', 'LINUX_IMMUTABLE', 'NET_BROADCAST', 'NET_ADMIN', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'LEASE', 'AUDIT_CONTROL', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ'].map((c) => `CAP_${c}`),
];

const MASKED_PATHS = ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware'];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface SpecInput {
  config: ContainerConfig;
  hostname: string;
  /** Pod network namespace path; undefined = host network. */
  netns: string | undefined;
  /** Per-pod files bind-mounted into every container. */
  etcFiles: { hosts: string; resolvConf: string; hostname: string } | undefined;
  cgroupPath: string;
  /** Directories hidden from the container by an empty tmpfs (the runtime's own state). */
  hide: string[];
  /** Namespaces shared with the host (hostPID, hostIPC). */
  hostNamespaces?: { pid: boolean; ipc: boolean };
  /** Namespaced sysctls of the pod (net.*, kernel.shm*, …). */
  sysctls?: Record<string, string>;
  /** The process resolved against the image config; absent on the host's filesystem. */
  process?: ProcessSpec;
}

function capitalise(cap: string): string {
  const upper = cap.toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

function capabilities(config: ContainerConfig): string[] {
  const sc = config.linux?.securityContext;
  const caps = new Set(DEFAULT_CAPS);
  for (const c of sc?.capabilities?.dropCapabilities ?? []) {
    if (c.toUpperCase() === 'ALL') caps.clear();
    else caps.delete(capitalise(c));
  }
  for (const c of sc?.capabilities?.addCapabilities ?? []) caps.add(capitalise(c));
  return [...caps];
}

export function resources(r: LinuxContainerResources | null | undefined): object {
  const out: { memory?: object; cpu?: object } = {};
  if (!r) return out;
  if (r.memoryLimitInBytes > 0) {
    // Without swap accounting runc rejects a swap limit; where it exists, limit swap too so
    // that a container over its limit is OOM-killed instead of swapping.
    const swapAccounted = existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes') || existsSync('/sys/fs/cgroup/cgroup.controllers');
    out.memory = { limit: r.memoryLimitInBytes, ...(swapAccounted ? { swap: r.memoryLimitInBytes } : {}) };
  }
  const cpu: Record<string, number | string> = {};
  if (r.cpuShares > 0) cpu.shares = r.cpuShares;
  if (r.cpuQuota > 0) cpu.quota = r.cpuQuota;
  if (r.cpuPeriod > 0) cpu.period = r.cpuPeriod;
  if (r.cpusetCpus) cpu.cpus = r.cpusetCpus;
  if (r.cpusetMems) cpu.mems = r.cpusetMems;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  return out;
}

export function buildSpec(input: SpecInput): object {
  const { config } = input;
  const sc = config.linux?.securityContext;
  const privileged = sc?.privileged ?? false;
  const caps = privileged ? ALL_CAPS : capabilities(config);
  const env = input.process?.env ?? config.envs.map((e) => `${e.key}=${e.value}`);
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  if (!env.some((e) => e.startsWith('HOSTNAME='))) env.push(`HOSTNAME=${input.hostname}`);
  const hostRoot = input.process === undefined;

  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
    // On the host's filesystem, the host's scratch and runtime directories are not the container's business.
    ...(hostRoot
      ? [
          { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] },
          { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=755'] },
        ]
      : []),
    ...(hostRoot ? input.hide : []).map((dir) => ({ destination: dir, type: 'tmpfs', source: 'tmpfs', options: ['ro', 'nosuid', 'nodev', 'size=4k'] })),
  ];
  if (input.etcFiles) {
    mounts.push(
      { destination: '/etc/hosts', type: 'bind', source: input.etcFiles.hosts, options: ['rbind', 'rprivate'] },
      { destination: '/etc/resolv.conf', type: 'bind', source: input.etcFiles.resolvConf, options: ['rbind', 'rprivate'] },
      { destination: '/etc/hostname', type: 'bind', source: input.etcFiles.hostname, options: ['rbind', 'rprivate'] },
    );
  }
  for (const m of config.mounts) {
    const propagation = m.propagation === 'PROPAGATION_BIDIRECTIONAL' ? 'rshared' : m.propagation === 'PROPAGATION_HOST_TO_CONTAINER' ? 'rslave' : 'rprivate';
    mounts.push({ destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', propagation, ...(m.readonly ? ['ro'] : [])] });
  }

  // hostPID / hostIPC pods share the host's; host-network pods keep the host's UTS namespace
  // (hostname), as in Kubernetes. A pod-wide PID namespace (shareProcessNamespace) is not
  // supported yet: such containers get their own.
  const namespaces: Array<{ type: string; path?: string }> = [{ type: 'mount' }];
  if (input.hostNamespaces?.pid !== true) namespaces.push({ type: 'pid' });
  if (input.hostNamespaces?.ipc !== true) namespaces.push({ type: 'ipc' });
  if (input.netns) namespaces.push({ type: 'network', path: input.netns }, { type: 'uts' });

  const uid = input.process?.uid ?? sc?.runAsUser?.value ?? 0;
  const gid = input.process?.gid ?? sc?.runAsGroup?.value ?? (sc?.runAsUser ? uid : 0);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid, gid, additionalGids: input.process?.additionalGids ?? sc?.supplementalGroups ?? [] },
      args: input.process?.args ?? [...config.command, ...config.args],
      env,
      cwd: input.process?.cwd ?? (config.workingDir || '/'),
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      noNewPrivileges: sc?.noNewPrivs ?? false,
      ...(config.linux?.resources?.oomScoreAdj ? { oomScoreAdj: config.linux.resources.oomScoreAdj } : {}),
    },
    root: { path: 'rootfs', readonly: sc?.readonlyRootfs ?? false },
    ...(input.netns ? { hostname: input.hostname } : {}),
    mounts,
    linux: {
      ...(input.sysctls && Object.keys(input.sysctls).length > 0 ? { sysctl: input.sysctls } : {}),
      resources: { devices: [{ allow: privileged, access: 'rwm' }], ...resources(config.linux?.resources) },
      cgroupsPath: input.cgroupPath,
      namespaces,
      ...(privileged
        ? {}
        : {
            maskedPaths: sc?.maskedPaths.length ? sc.maskedPaths : MASKED_PATHS,
            readonlyPaths: sc?.readonlyPaths.length ? sc.readonlyPaths : READONLY_PATHS,
          }),
    },
  };
}
