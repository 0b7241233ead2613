/**
 * Shares commits between concurrent writers: up to `concurrency` groups are in flight;
 * items submitted meanwhile queue and go together as the next group (at most `maxGroup`
 * items). One writer never waits; many share a transaction. `runGroup` must settle every
 * item of its group (resolve or reject each); an item it leaves open is rejected.
 */
export interface GroupedItem<Input, Result> {
  readonly input: Input;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class CommitGroups<Input, Result> {
  private readonly queue: GroupedItem<Input, Result>[] = [];
  private inFlight = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxGroup: number,
    private readonly runGroup: (group: GroupedItem<Input, Result>[]) => Promise<void>,
  ) {}

  submit(input: Input): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** True while a group runs or items wait. */
  get busy(): boolean {
    return this.inFlight > 0 || this.queue.length > 0;
  }

  private dispatch(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      this.inFlight += 1;
      let settled = 0;
      const tracked = group.map((item) => ({
        input: item.input,
        resolve: (result: Result) => { settled += 1; item.resolve(result); },
        reject: (error: unknown) => { settled += 1; item.reject(error); },
      }));
      void this.runGroup(tracked)
        .then(() => {
          if (settled < tracked.length) throw new Error('commit group ended without settling every item');
        })
        .catch((error: unknown) => {
          for (const item of group) item.reject(error); // a settled promise ignores a second settlement
        })
        .finally(() => {
          this.inFlight -= 1;
          this.dispatch();
        });
    }
  }
}
