/** The services of a PlatformState that get resources: all but DELETED ones, ordered by id. */
import type { PlatformState, ServiceState } from '../model/types.js';
import { sortedBy } from './order.js';

export function liveServices(state: PlatformState): ServiceState[] {
  return sortedBy(
    state.services.filter((s) => s.service.status !== 'DELETED'),
    (s) => s.service.id,
  );
}
