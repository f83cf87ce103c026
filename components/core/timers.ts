/** Named timers: starting one under a name stops the one it replaces; `clear` stops any. */
export class Timers {
  private readonly running = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `run` once after `ms`. */
  later(name: string, ms: number, run: () => void): void {
    this.clear(name);
    this.running.set(name, setTimeout(() => (this.running.delete(name), run()), ms));
  }

  /** Runs `run` every `ms`. */
  every(name: string, ms: number, run: () => void): void {
    this.clear(name);
    this.running.set(name, setInterval(run, ms));
  }

  clear(...names: string[]): void {
    for (const name of names) {
      const timer = this.running.get(name);
      if (timer === undefined) continue;
      clearTimeout(timer);
      clearInterval(timer);
      this.running.delete(name);
    }
  }
}
