import type { JobSnapshot } from '../../shared/api/models';

/**
 * Job progress on stderr: a redrawn bar on a terminal, plain lines (at most one every few seconds, plus every
 * message change) when stderr is a file or a pipe, so logs of batch jobs stay readable.
 */
export class ProgressPrinter {
  private lastLine = 0;
  private lastMessage: string | null = null;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly lineEveryMs = 5000,
  ) {}

  update(job: JobSnapshot): void {
    const percent = job.total ? Math.min(100, Math.floor((job.done / job.total) * 100)) : null;
    const message = job.message ?? job.state;
    if (this.stream.isTTY) {
      const width = 30;
      const filled = percent === null ? 0 : Math.round((percent / 100) * width);
      const bar = percent === null ? '-'.repeat(width) : `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      const text = `[${bar}] ${percent === null ? '   ' : `${String(percent).padStart(3)}%`} ${message}`;
      const columns = this.stream.columns ?? 100;
      this.stream.write(`\r${text.slice(0, columns - 1).padEnd(Math.min(columns - 1, text.length + 10))}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (message === this.lastMessage && now - this.lastLine < this.lineEveryMs) return;
    this.lastLine = now;
    this.lastMessage = message;
    this.stream.write(`${percent === null ? '' : `${percent}% `}${message}\n`);
  }

  done(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
