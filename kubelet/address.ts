// The node's InternalIP: the IPv4 address of the interface that holds the default route.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function defaultInternalIP(): string {
  let iface: string | undefined;
  try {
    // /proc/net/route: Iface Destination Gateway ...; destination 00000000 is the default route.
    for (const line of readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
      const [name, dest] = line.trim().split(/\s+/);
      if (dest === '00000000' && name) {
        iface = name;
        break;
      }
    }
  } catch {
    // Not Linux: fall through to the first non-internal address.
  }
  const nets = os.networkInterfaces();
  const pick = (list: os.NetworkInterfaceInfo[] | undefined) => list?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  if (iface) {
    const a = pick(nets[iface]);
    if (a) return a;
  }
  for (const list of Object.values(nets)) {
    const a = pick(list);
    if (a) return a;
  }
  return '127.0.0.1';
}
