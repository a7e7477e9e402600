// Toleration matching shared by the taint plugins (v1.Toleration.ToleratesTaint).
import { tolerates, type Taint, type Toleration } from '../../api/index.js';

export { tolerates };

export function anyTolerates(ts: readonly Toleration[], taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  for (const t of ts) if (tolerates(t, taint)) return true;
  return false;
}
