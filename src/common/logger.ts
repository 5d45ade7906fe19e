/**
 * A tiny leveled logger writing one line per event to stderr. Hot paths must gate calls with
 * `if (log.debugEnabled)` so no message string is built when the level is off (STYLE.md rule 7).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export class Logger {
  private threshold: number;
  debugEnabled: boolean;
  constructor(
    private readonly component: string,
    level: LogLevel = (process.env.SWITCHYARD_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  ) {
    this.threshold = ORDER[level] ?? ORDER.info;
    this.debugEnabled = this.threshold <= ORDER.debug;
  }

  setLevel(level: LogLevel): void {
    this.threshold = ORDER[level];
    this.debugEnabled = this.threshold <= ORDER.debug;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    if (this.debugEnabled) this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    if (this.threshold <= ORDER.info) this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    if (this.threshold <= ORDER.warn) this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    const extra = fields === undefined ? '' : ' ' + JSON.stringify(fields);
    process.stderr.write(`[${new Date().toISOString()}][${process.pid}][${level}][${this.component}] ${message}${extra}\n`);
  }
}
