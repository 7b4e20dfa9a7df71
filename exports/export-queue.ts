// Heavy exports (a PDF with its charts, a publication with all its files) run one
// at a time in this process: several at once would only take turns on the same
// event loop and make every other request wait longer.
export class ExportQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** How many exports are waiting or running. */
  get length(): number {
    return this.waiting;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.waiting--;
    });
  }
}

export const exportQueue = new ExportQueue();
