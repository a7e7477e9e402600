// Keeps the children of `skiff up` running: a component that exits on its own is restarted with
// back-off (1 s doubling to 30 s; reset once it has run for a minute) and the event is shown.
// Stopping goes in reverse start order, each child with SIGTERM then SIGKILL.
import { describeExit, type Child, type ExitResult } from './process.js';

export interface Component {
  name: string;
  /** Starts the process and resolves once it is ready (throws if it cannot become ready). */
  start(): Promise<Child>;
}

export interface SupervisorEvents {
  say(line: string): void;
  /** A component exited or came back. */
  changed?(): void;
}

const firstDelayMs = 1000;
const maxDelayMs = 30_000;
const healthyAfterMs = 60_000;

interface Entry {
  component: Component;
  child: Child;
  restarts: number;
  delayMs: number;
}

export class Supervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;

  constructor(private readonly events: SupervisorEvents) {}

  /** Starts a component (waiting for it to be ready) and keeps it running from then on. */
  async start(component: Component): Promise<Child> {
    const child = await component.start();
    const entry: Entry = { component, child, restarts: 0, delayMs: firstDelayMs };
    this.entries.push(entry);
    this.watch(entry);
    return child;
  }

  /** The current process of a component (after restarts, the newest). */
  child(name: string): Child | undefined {
    return this.entries.find((e) => e.component.name === name)?.child;
  }

  status(): Array<{ name: string; pid: number; running: boolean; restarts: number; logFile: string }> {
    return this.entries.map((e) => ({ name: e.component.name, pid: e.child.pid, running: e.child.running(), restarts: e.restarts, logFile: e.child.logFile }));
  }

  /** Stops every running child, last started first; `before(name)` runs just before each stop. */
  async stopAll(hooks: { before?: (name: string) => Promise<void> } = {}): Promise<void> {
    this.stopping = true;
    for (const e of [...this.entries].reverse()) {
      if (!e.child.running()) continue;
      await hooks.before?.(e.component.name).catch((err: unknown) => this.events.say(`  (${(err as Error).message})`));
      this.events.say(`stopping ${e.component.name}…`);
      await e.child.stop();
    }
  }

  private watch(entry: Entry): void {
    const startedAt = Date.now();
    void entry.child.exited.then((result) => this.restart(entry, result, Date.now() - startedAt));
  }

  private async restart(entry: Entry, result: ExitResult, ranMs: number): Promise<void> {
    if (this.stopping) return;
    if (ranMs >= healthyAfterMs) entry.delayMs = firstDelayMs;
    const delay = entry.delayMs;
    entry.delayMs = Math.min(entry.delayMs * 2, maxDelayMs);
    const name = entry.component.name;
    this.events.say(`! ${name} ${describeExit(result)}; restarting in ${delay / 1000}s (log: ${entry.child.logFile})`);
    this.events.changed?.();
    await new Promise((r) => setTimeout(r, delay));
    if (this.stopping) return;
    try {
      entry.child = await entry.component.start();
      entry.restarts++;
      this.events.say(`  ${name} is back (pid ${entry.child.pid}, restart ${entry.restarts})`);
      this.events.changed?.();
      this.watch(entry);
    } catch (err) {
      this.events.say(`! ${name} did not come back: ${(err as Error).message.split('\n')[0]}`);
      // Try again later with a longer back-off; a fake exit keeps the loop going.
      void this.restart(entry, { code: null, signal: null }, 0);
    }
  }
}
