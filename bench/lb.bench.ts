/**
 * Load-balancer micro-benchmark: nanoseconds per chooseHost() for each policy over 10 and 100
 * hosts (equal and mixed weights), plus the lazy rebuild cost after a membership change.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/lb.bench.js [picksPerCase]
 *   LB_POLICY=MAGLEV node dist/bench/lb.bench.js      # one policy per process
 *
 * Hash policies get a precomputed uint32 key per pick, so key generation is not measured.
 * Running every policy in one process makes BaseLoadBalancer.chooseHost's call site polymorphic,
 * as in a router serving clusters with mixed policies; LB_POLICY isolates one (monomorphic) case.
 */
import { createLoadBalancer } from '../src/router/upstream/lb/load-balancer.js';
import type { LbContext, LbHost, LoadBalancerConfig } from '../src/router/upstream/lb/load-balancer.js';
import { PrioritySet } from '../src/router/upstream/lb/priority-set.js';
import { createSeededRandom } from '../src/common/random.js';

const PICKS = Number(process.argv[2] ?? 2_000_000);
const KEY_COUNT = 1 << 16;

class BenchHost implements LbHost {
  readonly address: string;
  readonly weight: number;
  activeRequests: number;
  readonly available = true;
  constructor(address: string, weight: number, activeRequests: number) {
    this.address = address;
    this.weight = weight;
    this.activeRequests = activeRequests;
  }
}

function makeHosts(n: number, weighted: boolean): BenchHost[] {
  const hosts: BenchHost[] = [];
  for (let i = 0; i < n; i++) hosts.push(new BenchHost(`10.1.${i >> 8}.${i & 255}:8080`, weighted ? 1 + (i % 5) : 1, i % 7));
  return hosts;
}

const ONLY = process.env.LB_POLICY;
const allPolicies: LoadBalancerConfig[] = [
  { lbPolicy: 'ROUND_ROBIN' },
  { lbPolicy: 'LEAST_REQUEST' },
  { lbPolicy: 'RANDOM' },
  { lbPolicy: 'RING_HASH' },
  { lbPolicy: 'MAGLEV' },
];
const policies = ONLY ? allPolicies.filter((p) => p.lbPolicy === ONLY) : allPolicies;

const random = createSeededRandom(1);
const keys = new Uint32Array(KEY_COUNT);
for (let i = 0; i < KEY_COUNT; i++) keys[i] = Math.floor(random() * 0x100000000);

/** One mutable context reused across picks, as the router reuses its per-request object. */
const ctx: { hashKey: number | null; random: () => number; hostSelectionRetryMaxAttempts: number } = {
  hashKey: null,
  random,
  hostSelectionRetryMaxAttempts: 0,
};

const rows: string[] = [];
let sink = 0;
for (const n of [10, 100]) {
  for (const weighted of [false, true]) {
    for (const config of policies) {
      const ps = new PrioritySet<BenchHost>();
      const hosts = makeHosts(n, weighted);
      ps.update(0, hosts);
      const lb = createLoadBalancer(config, ps, random);
      const hashed = config.lbPolicy === 'RING_HASH' || config.lbPolicy === 'MAGLEV';

      // Rebuild cost: the first pick after an update builds the structures.
      const b0 = process.hrtime.bigint();
      ps.update(0, hosts.slice());
      lb.chooseHost(ctx as LbContext);
      const buildUs = Number(process.hrtime.bigint() - b0) / 1000;

      const run = (count: number): number => {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < count; i++) {
          if (hashed) ctx.hashKey = keys[i & (KEY_COUNT - 1)];
          const h = lb.chooseHost(ctx as LbContext);
          if (h !== null) sink += h.weight;
        }
        ctx.hashKey = null;
        return Number(process.hrtime.bigint() - t0) / count;
      };
      run(Math.min(PICKS, 200_000)); // warm up / optimize
      const ns = run(PICKS);
      rows.push(
        `| ${config.lbPolicy.padEnd(13)} | ${String(n).padStart(5)} | ${(weighted ? 'mixed' : 'equal').padEnd(7)} | ${ns.toFixed(1).padStart(8)} | ${buildUs.toFixed(0).padStart(10)} |`,
      );
    }
  }
}

console.log(`Node ${process.version}, ${PICKS} picks per case`);
console.log('| policy        | hosts | weights | ns/pick | rebuild µs |');
console.log('| ------------- | ----- | ------- | ------- | ---------- |');
for (const r of rows) console.log(r);
if (sink === -1) console.log(sink);
