'use strict';
/**
 * The progress display: one line per step, and on a terminal a live status line under it
 * (elapsed time, the step, and what the current phase is waiting for).
 */
class Progress {
  constructor({ quiet = false, stream = process.stderr } = {}) {
    this.quiet = quiet;
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
    this.started = Date.now();
    this.statusText = '';
    this.lastPlainStatus = 0;
    this.scenario = '';
  }

  elapsed() {
    const s = Math.floor((Date.now() - this.started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  /** A new step: printed on its own line. */
  step(text) {
    if (this.quiet) return;
    this.clearStatus();
    this.stream.write(`[${this.elapsed()}] ${this.scenario ? `${this.scenario} · ` : ''}${text}\n`);
  }

  /** A result line, printed under the step. */
  result(text) {
    if (this.quiet) return;
    this.clearStatus();
    this.stream.write(`           ${text}\n`);
  }

  /** Live status: rewritten in place on a terminal, otherwise printed at most every 5 s. */
  status(text) {
    if (this.quiet) return;
    if (this.tty) {
      this.statusText = `[${this.elapsed()}] ${text}`;
      this.stream.write(`\r\x1b[2K${this.statusText.slice(0, (this.stream.columns || 120) - 1)}`);
    } else if (Date.now() - this.lastPlainStatus > 5_000) {
      this.lastPlainStatus = Date.now();
      this.stream.write(`[${this.elapsed()}]   … ${text}\n`);
    }
  }

  clearStatus() {
    if (this.tty && this.statusText) {
      this.stream.write('\r\x1b[2K');
      this.statusText = '';
    }
  }
}

module.exports = { Progress };
