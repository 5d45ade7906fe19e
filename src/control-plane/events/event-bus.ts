/**
 * The control plane's event bus: deploy, traffic, health and xDS (ACK/NACK, connect) events, kept
 * in a bounded ring so a late subscriber (the SSE stream `GET /v1/events`) can replay recent ones.
 * Publishing is synchronous and never throws into the publisher: a failing subscriber is dropped.
 */

export interface PlatformEvent {
  /** Monotonic per process; the SSE `id:` so clients can resume with Last-Event-ID. */
  readonly id: number;
  readonly at: string;
  /** e.g. 'xds.nack', 'xds.connect', 'config.published', 'config.rejected', 'service.created'. */
  readonly type: string;
  /** The service the event is about, when there is one (filters `?service=`). */
  readonly serviceId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export type EventListener = (event: PlatformEvent) => void;

/** How many events the bus keeps for replay. */
const DEFAULT_HISTORY = 1_000;

export class EventBus {
  private nextId = 1;
  private readonly history: PlatformEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly historySize = DEFAULT_HISTORY) {}

  emit(type: string, data: Record<string, unknown> = {}, serviceId: string | null = null): PlatformEvent {
    const event: PlatformEvent = { id: this.nextId++, at: new Date().toISOString(), type, serviceId, data };
    this.history.push(event);
    if (this.history.length > this.historySize) this.history.shift();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
    return event;
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kept events with id > `afterId`, oldest first, optionally for one service. */
  recent(afterId = 0, serviceId: string | null = null): PlatformEvent[] {
    const out: PlatformEvent[] = [];
    for (const e of this.history) if (e.id > afterId && (serviceId === null || e.serviceId === serviceId)) out.push(e);
    return out;
  }
}
