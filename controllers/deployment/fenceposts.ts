// maxSurge / maxUnavailable as numbers of pods: percents of the desired replicas, surge
// rounded up and unavailability rounded down, and never both zero (upstream's ResolveFenceposts).
import type { Deployment } from '../../api/index.js';

function scaled(v: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const raw = v ?? fallback;
  if (typeof raw === 'number') return raw;
  if (raw.endsWith('%')) {
    const pct = Number.parseInt(raw, 10);
    const exact = (pct * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number.parseInt(raw, 10) || 0;
}

export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;

export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const total = desiredReplicas(d);
  const surge = scaled(ru?.maxSurge, total, true, '25%');
  let unavailable = scaled(ru?.maxUnavailable, total, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const total = desiredReplicas(d);
  if (!isRollingUpdate(d) || total === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, total);
}
