// Structured JSON lines (pino), one logger per process, tagged by component — shared by every
// API client component so their logs look alike.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, level = process.env.SKIFF_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime });
}
