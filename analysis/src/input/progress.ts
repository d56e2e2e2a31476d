// A progress bar on stderr for large inputs, drawn only on a terminal (as autocannon's progress tracker does);
// pipes and CI logs get nothing.
import { PROGRESS_MIN_BYTES } from '../config/constants.js';

const BAR_WIDTH = 30;
// Redraw at most this often; workers report every few MB.
const REDRAW_MS = 200;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export class ProgressBar {
  private total = 0;
  private done = 0;
  private lastDraw = 0;
  private active = false;
  private readonly startedAt = Date.now();

  constructor(private readonly stream: ProgressStream) {}

  start(totalBytes: number): void {
    this.total = totalBytes;
    this.active = this.stream.isTTY === true && totalBytes >= PROGRESS_MIN_BYTES;
  }

  advance(bytes: number): void {
    this.done += bytes;
    if (!this.active) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const share = Math.min(1, this.done / Math.max(1, this.total));
    const filled = Math.round(share * BAR_WIDTH);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const mbPerSec = seconds > 0 ? this.done / 1e6 / seconds : 0;
    this.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${(share * 100).toFixed(0)}%  ${mbPerSec.toFixed(0)} MB/s `);
  }

  finish(): void {
    if (this.active) this.stream.write('\r\x1b[K');
    this.active = false;
  }
}
