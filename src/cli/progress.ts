/**
 * Progress of a long command on a terminal (stderr): the phase, how far it
 * is, and an estimate of the time left from the phase's pace so far. Written
 * at most every `everyMs`, on one line that is cleared at the end; nothing
 * when stderr is not a terminal.
 */
import { fileSize } from './io.js';

export interface ProgressLine {
  update(phase: string, done: number, total: number): void;
  /** Reading input files: progress by bytes, file by file. */
  file(index: number, total: number, file: string): void;
  clear(): void;
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "ETA m:ss" from the pace since `since`, or "" while too little is done to tell. */
export function eta(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || total <= 0 || done >= total || elapsedMs < 500) return '';
  return `ETA ${clock((elapsedMs / done) * (total - done))}`;
}

export function progressLine(stream: NodeJS.WritableStream, command: string, everyMs = 200, now: () => number = Date.now): ProgressLine {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  let phase = '';
  let started = now();
  let last = 0;
  let shown = false;
  const show = (text: string): void => {
    stream.write(`\r\x1b[K${command}: ${text}`);
    shown = true;
  };
  let sizes: number[] | undefined;
  const readStart = now();
  return {
    update(p, done, total) {
      if (!tty) return;
      const t = now();
      if (p !== phase) {
        phase = p;
        started = t;
      } else if (t - last < everyMs && done < total) return;
      last = t;
      const pct = total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : '';
      const left = eta(done, total, t - started);
      show(`${p} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${pct}${left ? `, ${left}` : ''}`);
    },
    file(index, total, file) {
      if (!tty) return;
      if (sizes === undefined) sizes = [];
      let size = 0;
      try {
        size = fileSize(file);
      } catch {
        // The import reports an unreadable file itself.
      }
      sizes[index] = size;
      const before = sizes.slice(0, index).reduce((s, x) => s + x, 0);
      const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
      const left = eta(before, before + size, now() - readStart);
      show(`reading ${file} (${index + 1} of ${total}, ${mb(size)}; ${mb(before)} read)${left ? `, ${left} for this file` : ''}`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
