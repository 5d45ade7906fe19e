import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadBootstrapFile, loadBootstrapText } from '../../../../src/router/bootstrap/load-bootstrap.js';

const MINIMAL = { node: { id: 'r1' }, stats_flush_interval: '2s' };

const syntaxCases: { name: string; text: string; format: 'yaml' | 'json'; error: RegExp }[] = [
  { name: 'YAML: unclosed flow sequence', text: 'node:\n  id: [a\nadmin: {}\n', format: 'yaml', error: /^YAML syntax error at line \d+, column \d+: / },
  { name: 'YAML: duplicate keys', text: 'node: { id: a }\nnode: { id: b }\n', format: 'yaml', error: /^YAML syntax error at line 2, column 1: Map keys must be unique/ },
  { name: 'JSON: trailing comma', text: '{\n  "node": { "id": "a" },\n}', format: 'json', error: /^JSON syntax error( at line 3, column \d+)?: / },
];

for (const c of syntaxCases) {
  test(`loadBootstrapText reports syntax errors with their position: ${c.name}`, () => {
    const result = loadBootstrapText(c.text, c.format);
    assert.ok(!result.ok);
    assert.equal(result.errors[0].path, '');
    assert.match(result.errors[0].message, c.error);
  });
}

test('loadBootstrapText reads JSON and YAML alike', () => {
  for (const [text, format] of [
    [JSON.stringify(MINIMAL), 'json'],
    ['node: { id: r1 }\nstats_flush_interval: 2s\n', 'yaml'],
  ] as const) {
    const result = loadBootstrapText(text, format);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.value.node.id, 'r1');
    assert.equal(result.value.statsFlushIntervalMs, 2000);
  }
});

test('loadBootstrapText supports YAML anchors and merge keys', () => {
  const text = 'node:\n  <<: &base { id: r1, cluster: c }\n  user_agent_name: ua\nadmin:\n  address: { socket_address: { address: 127.0.0.1, port_value: 9901 } }\n';
  const result = loadBootstrapText(text, 'yaml');
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.deepStrictEqual([result.value.node.id, result.value.node.cluster, result.value.node.userAgentName], ['r1', 'c', 'ua']);
});

test('loadBootstrapText: an unknown top-level key is a field error, not a syntax error', () => {
  const result = loadBootstrapText('node: { id: r1 }\nstatic_resource: {}\n', 'yaml');
  assert.ok(!result.ok);
  assert.deepStrictEqual(result.errors, [{ path: 'static_resource', message: 'unknown field "static_resource"' }]);
});

test('loadBootstrapFile picks the format from the extension and reports missing files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sy-bootstrap-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const jsonPath = join(dir, 'b.json');
  await writeFile(jsonPath, JSON.stringify(MINIMAL));
  const ok = await loadBootstrapFile(jsonPath);
  assert.ok(ok.ok);
  assert.equal(ok.value.node.id, 'r1');

  const missing = await loadBootstrapFile(join(dir, 'nope.yaml'));
  assert.ok(!missing.ok);
  assert.match(missing.errors[0].message, /cannot read bootstrap file .*nope\.yaml/);
});
