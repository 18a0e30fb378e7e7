/** A stream whose unwritten backlog can be read, as process.stdout's can. */
export interface BacklogStream {
  readonly writableLength: number;
  write(chunk: string): unknown;
}

/**
 * Writes lines to `stream` unless more than `limitBytes` are already waiting to be written (a
 * pipe nobody reads, a stalled terminal): then lines are dropped and counted, and the count is
 * written once the backlog is gone. Without it the runner's memory grows with every log line.
 */
export class BoundedOutput {
  private dropped = 0;

  constructor(
    private readonly stream: BacklogStream,
    private readonly limitBytes = 1024 * 1024,
  ) {}

  /** Lines dropped since the last report. */
  get droppedLines(): number {
    return this.dropped;
  }

  writeLine(line: string): void {
    if (this.stream.writableLength > this.limitBytes) {
      this.dropped += 1;
      return;
    }
    if (this.dropped > 0) {
      this.stream.write(
        `[local-mesh] ${this.dropped} log lines dropped: the output was not being read\n`,
      );
      this.dropped = 0;
    }
    this.stream.write(`${line}\n`);
  }
}
