/**
 * A progress bar for long operations (replaying or purging many dead letters). Drawn
 * on stderr and only on a terminal: piped output and logs get no carriage returns.
 */
import type { TextSink } from '../cli-io';

export interface ProgressBarOptions {
  total: number;
  label: string;
  /** Characters of bar between the brackets. @default 30 */
  width?: number;
}

export class ProgressBar {
  readonly #sink: TextSink | undefined;
  readonly #total: number;
  readonly #label: string;
  readonly #width: number;
  #done = 0;

  /** `sink` undefined draws nothing (not a terminal). */
  constructor(sink: TextSink | undefined, options: ProgressBarOptions) {
    this.#sink = sink;
    this.#total = Math.max(0, options.total);
    this.#label = options.label;
    this.#width = options.width ?? 30;
  }

  /** The current line, e.g. `replaying [#######.......]  250/1000  25%`. */
  render(): string {
    const fraction = this.#total === 0 ? 1 : Math.min(1, this.#done / this.#total);
    const filled = Math.round(fraction * this.#width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(this.#width - filled)}`;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    return `${this.#label} [${bar}] ${this.#done}/${this.#total} ${percent}`;
  }

  advance(by: number): void {
    this.#done = Math.min(this.#total, this.#done + by);
    this.#sink?.write(`\r${this.render()}`);
  }

  finish(): void {
    if (this.#sink !== undefined) this.#sink.write(`\r${this.render()}\n`);
  }
}
