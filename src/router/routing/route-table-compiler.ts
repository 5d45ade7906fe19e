/**
 * Compiles one listener's successive RouteConfigurations, reusing the compiled virtual hosts of
 * the previous table: a virtual host whose view is the very object compiled last time (the
 * router's xDS client and its config patches keep unchanged virtual hosts' objects) is taken as
 * it is, so a change to one tenant recompiles that tenant's routes, not every tenant's. Building
 * the domain index stays O(domains), a Map insert each.
 *
 * A compiled virtual host also depends on route-configuration-level settings (header mutations
 * and their order) and on the listener's buffer limit and header formatter: when those differ
 * from the previous compile nothing is reused.
 *
 * Compiled virtual hosts are immutable, so sharing one between the old table (requests in flight)
 * and the new one is safe. Pure apart from the memo: no I/O.
 */
import type { RouteConfiguration, VirtualHost } from '../../xds/resources/route-configuration.types.js';
import type { CompiledVirtualHost } from './compiled-virtual-host.js';
import { compileRouteTable, type RouteTable, type RouteTableOptions } from './route-table.js';

export class RouteTableCompiler {
  private byView = new Map<VirtualHost, CompiledVirtualHost>();
  private settings: string | null = null;
  private formatter: RouteTableOptions['headerValueFormatter'] = undefined;

  /** compileRouteTable(config, options), reusing what the previous call compiled; throws the same way. */
  compile(config: RouteConfiguration, options: RouteTableOptions): RouteTable {
    const settings = settingsKey(config, options);
    const reusable = settings === this.settings && options.headerValueFormatter === this.formatter ? this.byView : null;
    const table = compileRouteTable(config, options, reusable === null ? undefined : (view) => reusable.get(view));
    const byView = new Map<VirtualHost, CompiledVirtualHost>();
    for (let i = 0; i < config.virtualHosts.length; i++) byView.set(config.virtualHosts[i], table.virtualHosts[i]);
    this.byView = byView;
    this.settings = settings;
    this.formatter = options.headerValueFormatter;
    return table;
  }
}

/** What a compiled virtual host depends on besides its own view (compileVirtualHostLevels). */
function settingsKey(config: RouteConfiguration, options: RouteTableOptions): string {
  return JSON.stringify([
    config.requestHeadersToAdd,
    config.requestHeadersToRemove,
    config.responseHeadersToAdd,
    config.responseHeadersToRemove,
    config.mostSpecificHeaderMutationsWins,
    options.defaultRequestBufferLimitBytes ?? null,
  ]);
}
