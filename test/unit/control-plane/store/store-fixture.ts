/** Small builders for store tests: an in-memory store and validated inputs. */
import { DEFAULT_SERVICE_SETTINGS } from '../../../../src/control-plane/model/validate-service.js';
import type { Endpoint, NewRevision, NewService } from '../../../../src/control-plane/model/types.js';
import { openStore, type Store } from '../../../../src/control-plane/store/store.js';

export const BASE_DOMAIN = 'switchyard.localhost';

export function memoryStore(): Store {
  return openStore({ path: ':memory:', baseDomain: BASE_DOMAIN, region: 'local', httpPort: 8080 });
}

export function newService(name: string, extra: Partial<NewService> = {}): NewService {
  return { name, tenant: null, region: null, ...DEFAULT_SERVICE_SETTINGS, ...extra };
}

export function newRevision(...endpoints: Endpoint[]): NewRevision {
  return { command: null, args: [], env: {}, endpoints };
}

export const ep = (port: number): Endpoint => ({ address: '127.0.0.1', port });

/** Runs `fn` and returns the PlatformError code it threw. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error('expected an error');
}
