/**
 * The import rules of DESIGN §4 and STYLE.md "Dependency rules", checked on the sources: every
 * relative import under src/ is resolved to a folder and tested against the table below.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const NODE_IO = /^node:(net|http|https|http2|tls|dgram|fs|fs\/promises|child_process|cluster|timers|timers\/promises)$/;

interface Edge {
  readonly from: string; // path relative to src/, e.g. 'router/http/http-stream.ts'
  readonly to: string; // resolved relative path, or the bare specifier
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const edges: Edge[] = [];
for (const file of sources(SRC)) {
  const text = readFileSync(file, 'utf8');
  const from = path.relative(SRC, file);
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    edges.push({ from, to: spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : spec });
  }
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir + '/');
const ours = (e: Edge): boolean => !e.to.startsWith('node:') && !/^[@a-z]/.test(e.to);

const rules: { name: string; broken: (e: Edge) => boolean }[] = [
  { name: 'router never imports the control plane', broken: (e) => under(e.from, 'router') && under(e.to, 'control-plane') },
  { name: 'the control plane never imports the router', broken: (e) => under(e.from, 'control-plane') && under(e.to, 'router') },
  { name: 'common imports nothing of ours', broken: (e) => under(e.from, 'common') && ours(e) && !under(e.to, 'common') },
  { name: 'xds imports only xds and common', broken: (e) => under(e.from, 'xds') && ours(e) && !under(e.to, 'xds') && !under(e.to, 'common') },
  {
    name: 'pure folders do no I/O',
    broken: (e) => ['router/routing', 'router/upstream/lb', 'control-plane/model', 'control-plane/translate'].some((d) => under(e.from, d)) && NODE_IO.test(e.to),
  },
  { name: 'routing and upstream never import http', broken: (e) => (under(e.from, 'router/routing') || under(e.from, 'router/upstream')) && under(e.to, 'router/http') },
  { name: 'upstream never imports health', broken: (e) => under(e.from, 'router/upstream') && under(e.to, 'router/health') },
  { name: 'xds-client knows nothing of routing', broken: (e) => under(e.from, 'router/xds-client') && under(e.to, 'router/routing') },
  {
    name: 'xds-server knows nothing of tenants',
    broken: (e) => under(e.from, 'control-plane/xds-server') && ours(e) && !under(e.to, 'control-plane/xds-server') && !under(e.to, 'xds') && !under(e.to, 'common'),
  },
  { name: 'the API never touches the xDS server', broken: (e) => under(e.from, 'control-plane/api') && under(e.to, 'control-plane/xds-server') },
];

for (const rule of rules) {
  test(`architecture: ${rule.name}`, () => {
    const broken = edges.filter(rule.broken).map((e) => `${e.from} → ${e.to}`);
    assert.deepEqual(broken, []);
  });
}

test('architecture: the only index.ts files are the composition roots', () => {
  const roots = sources(SRC)
    .map((f) => path.relative(SRC, f))
    .filter((f) => path.basename(f) === 'index.ts');
  const allowed = new Set(['control-plane/index.ts', 'router/index.ts']);
  assert.deepEqual(roots.filter((r) => !allowed.has(r)), []);
  assert.ok(roots.includes('router/index.ts'));
});

test('architecture: the checker sees imports (cannot pass vacuously)', () => {
  assert.ok(edges.some((e) => e.from === 'router/index.ts' && e.to.startsWith('router/')));
  assert.ok(edges.length > 200);
});

// Node defines `Buffer` and `performance` on globalThis as accessors, so each use of the global is a
// global-property lookup and a getter call, even in optimized code (~10 ns per use; +1–1.6% req/s
// when the request path imported them, BENCHMARKS.md 2026-12-04). Sources import them instead.
const GLOBAL_ACCESSORS: { name: string; use: RegExp; from: string }[] = [
  { name: 'Buffer', use: /\bBuffer\.[A-Za-z]|instanceof Buffer\b|new Buffer\(/, from: 'node:buffer' },
  { name: 'performance', use: /\bperformance\.[A-Za-z]/, from: 'node:perf_hooks' },
];

for (const g of GLOBAL_ACCESSORS) {
  test(`architecture: sources that use ${g.name} import it from ${g.from}`, () => {
    const imports = new RegExp(`import\\s*\\{[^}]*\\b${g.name}\\b[^}]*\\}\\s*from\\s*'${g.from}'`);
    const users = sources(SRC).filter((f) => g.use.test(readFileSync(f, 'utf8')));
    assert.ok(users.length > 0, `no source uses ${g.name}: the check would pass vacuously`);
    const missing = users.filter((f) => !imports.test(readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    assert.deepEqual(missing, []);
  });
}
