/**
 * Progress on stderr (stdout stays clean for results and JSON): a redrawn bar on a terminal,
 * plain "label: 40%" lines every 10 % otherwise (logs, CI, pipes), so both read well.
 */
const BAR_WIDTH = 30;
const REDRAW_MS = 100;

export interface Progress {
  /** fraction 0…1 of the whole task; `detail` replaces the text after the bar. */
  update(fraction: number, detail?: string): void;
  /** Ends the bar (a newline on a terminal) and prints `message` if given. */
  done(message?: string): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function progressBar(title: string, stream: ProgressStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastStep = -1;
  let lastFraction = 0;
  let lastDetail = '';
  let drawn = false;
  let finished = false;

  const draw = () => {
    const filled = Math.round(lastFraction * BAR_WIDTH);
    const percent = `${Math.floor(lastFraction * 100)}%`.padStart(4);
    let line = `${title} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent}${lastDetail ? ` ${lastDetail}` : ''}`;
    const width = (stream.columns ?? 80) - 1;
    if (line.length > width) line = line.slice(0, width);
    stream.write(`\r${line.padEnd(width)}`);
    drawn = true;
  };

  return {
    update(fraction, detail) {
      if (finished) return;
      lastFraction = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      if (detail !== undefined) lastDetail = detail;
      if (tty) {
        const now = performance.now();
        if (now - lastDraw >= REDRAW_MS || lastFraction === 1) {
          lastDraw = now;
          draw();
        }
        return;
      }
      const step = Math.floor(lastFraction * 10);
      if (step > lastStep) {
        lastStep = step;
        stream.write(`${title}: ${step * 10}%${lastDetail ? ` ${lastDetail}` : ''}\n`);
      }
    },
    done(message) {
      if (finished) return;
      finished = true;
      if (tty) {
        if (drawn) {
          lastFraction = 1;
          draw();
          stream.write('\n');
        }
      } else if (lastStep < 10) {
        stream.write(`${title}: 100%\n`);
      }
      if (message) stream.write(`${message}\n`);
    },
  };
}
