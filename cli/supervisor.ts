// Keeps the children of `skiff up`: notices when one dies on its own, stops them in reverse
// start order. (Restarting crashed children comes later.)
import type { Child, ExitResult } from './process.js';

export interface UnexpectedExit {
  child: Child;
  result: ExitResult;
}

export class Supervisor {
  private readonly children: Child[] = [];
  private stopping = false;
  private reportDeath: (d: UnexpectedExit) => void = () => {};
  /** Resolves with the first child that exits without being asked to. */
  readonly unexpectedExit = new Promise<UnexpectedExit>((resolve) => {
    this.reportDeath = resolve;
  });

  add(child: Child): void {
    this.children.push(child);
    void child.exited.then((result) => {
      if (!this.stopping) this.reportDeath({ child, result });
    });
  }

  /** Stops every running child, last started first, each with SIGTERM then SIGKILL. */
  async stopAll(say: (line: string) => void): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      if (!child.running()) continue;
      say(`stopping ${child.name}…`);
      await child.stop();
    }
  }
}
