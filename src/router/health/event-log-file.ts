/**
 * Append-only JSON-lines files for health events: HealthCheck.event_log_path (active checks) and
 * the outlier event log (Envoy's cluster_manager.outlier_detection.event_log_path). Every logger of
 * this process that names the same path shares one stream, opened in append mode so that the
 * router's workers, each writing whole lines with O_APPEND, never interleave inside a line.
 *
 * Writes are off the request path (a transition, an ejection) and never throw: a file that cannot
 * be opened is reported once and its events are dropped.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { Logger } from '../../common/logger.js';

const log = new Logger('health');
const open = new Map<string, EventLogFile>();

export class EventLogFile {
  private readonly stream: WriteStream;
  private failed = false;

  private constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (err) => {
      if (!this.failed) log.error('event log write failed', { path, error: String(err) });
      this.failed = true;
    });
  }

  /** The shared file for `path` in this process (opened on first use). */
  static forPath(path: string): EventLogFile {
    let file = open.get(path);
    if (file === undefined) {
      file = new EventLogFile(path);
      open.set(path, file);
    }
    return file;
  }

  /** Ends the stream once what was written is flushed. */
  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }

  /** Appends one event as a JSON line. */
  writeEvent(event: unknown): void {
    if (this.failed) return;
    this.stream.write(JSON.stringify(event) + '\n');
  }
}

/** Flushes and closes every event log file of this process (worker drain). */
export async function closeEventLogFiles(): Promise<void> {
  const files = [...open.values()];
  open.clear();
  await Promise.all(files.map((f) => f.close()));
}
