import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { compileAccessLogFilter } from '../../../../src/router/accesslog/access-log-filter.js';
import { AccessLogRecord } from '../../../../src/router/accesslog/access-log-record.js';
import { AccessLogger, createAccessLogger, FileSink, StreamSink, validateAccessLog } from '../../../../src/router/accesslog/access-log-sink.js';
import { compileFormat } from '../../../../src/router/accesslog/formatter.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-accesslog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('file sink appends every line in order and flushes on close', async (t) => {
  const path = join(await tempDir(t), 'access.log');
  const sink = new FileSink(path, { batchFlushBytes: 1024 });
  const expected: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    const line = `line ${i} ${'x'.repeat(i % 50)}\n`;
    expected.push(line);
    sink.write(line);
  }
  await sink.close();
  assert.equal(await readFile(path, 'utf8'), expected.join(''));
  assert.equal(sink.droppedLines, 0);
  sink.write('after close\n');
  assert.equal(sink.droppedLines, 1);

  // Flags 'a': a second sink appends.
  const again = new FileSink(path);
  again.write('appended\n');
  await again.flush();
  await again.close();
  assert.ok((await readFile(path, 'utf8')).endsWith('line 4999 ' + 'x'.repeat(4999 % 50) + '\nappended\n'));
});

test('UTF-8 lines, lines longer than a batch buffer and batch boundaries arrive byte for byte', async (t) => {
  const path = join(await tempDir(t), 'utf8.log');
  const sink = new FileSink(path, { batchFlushBytes: 512 });
  const expected: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const line = i % 500 === 7 ? `huge ${'ü€'.repeat(20_000)}\n` : `${i} héllo wörld ✓ ${'€'.repeat(i % 40)}\n`;
    expected.push(line);
    sink.write(line);
  }
  await sink.close();
  assert.equal(await readFile(path, 'utf8'), expected.join(''));
  assert.equal(sink.droppedLines, 0);
});

test('lines are batched into one write per tick', async () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const sink = new StreamSink(stream, true, 'test');
  sink.write('a\n');
  sink.write('b\n');
  sink.write('c\n');
  assert.equal(chunks.length, 0, 'nothing written synchronously');
  await new Promise((r) => setImmediate(r));
  await sink.flush();
  assert.deepEqual(chunks, ['a\nb\nc\n']);
});

test('backpressure: keeps batching while blocked, drops past the cap, writes the rest after drain', async () => {
  const chunks: string[] = [];
  let release: (() => void) | null = null;
  const stream = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      release = cb; // held until the test lets it go
    },
  });
  const sink = new StreamSink(stream, false, 'test', { batchFlushBytes: 1, maxBufferedBytes: 10 });
  sink.write('first-line\n'); // written at once (over batchFlushBytes), stream now over its highWaterMark
  sink.write('12345\n');
  sink.write('6789\n'); // 6 + 5 = 11 > 10: dropped
  sink.write('ab\n');
  assert.equal(sink.droppedLines, 1);
  assert.deepEqual(chunks, ['first-line\n']);
  const flushed = sink.flush();
  const timer = setInterval(() => {
    const r = release;
    release = null;
    r?.();
  }, 5);
  await flushed;
  clearInterval(timer);
  assert.equal(chunks.join(''), 'first-line\n12345\nab\n');
});

test('a file that cannot be opened drops lines instead of crashing, and flush still resolves', async (t) => {
  const dir = await tempDir(t);
  const sink = new FileSink(join(dir, 'no-such-dir', 'x.log'));
  sink.write('x\n');
  await new Promise((r) => setTimeout(r, 50));
  await sink.flush();
  await sink.close();
  assert.ok(sink.droppedLines >= 1);
});

function rec(code: number, flags = '-', durationMs = 10, headers: string[] = []): AccessLogRecord {
  const r = new AccessLogRecord();
  r.responseCode = code;
  r.responseFlags = flags;
  r.durationMs = durationMs;
  r.requestHeaders = headers;
  return r;
}

const filterCases: { name: string; filter: ProtoObject; pass: AccessLogRecord[]; block: AccessLogRecord[] }[] = [
  {
    name: 'status_code_filter GE 500',
    filter: { status_code_filter: { comparison: { op: 'GE', value: { default_value: 500, runtime_key: 'k' } } } },
    pass: [rec(500), rec(503)],
    block: [rec(200), rec(404)],
  },
  {
    name: 'duration_filter GE 100',
    filter: { duration_filter: { comparison: { op: 'GE', value: { default_value: 100 } } } },
    pass: [rec(200, '-', 150)],
    block: [rec(200, '-', 5)],
  },
  {
    name: 'response_flag_filter with flags',
    filter: { response_flag_filter: { flags: ['UF', 'UH'] } },
    pass: [rec(503, 'UF'), rec(503, 'URX,UH')],
    block: [rec(200), rec(504, 'UT')],
  },
  { name: 'response_flag_filter any', filter: { response_flag_filter: {} }, pass: [rec(504, 'UT')], block: [rec(200)] },
  { name: 'not_health_check_filter', filter: { not_health_check_filter: {} }, pass: [rec(200)], block: [] },
  {
    name: 'or of status and flag',
    filter: { or_filter: { filters: [{ status_code_filter: { comparison: { op: 'EQ', value: { default_value: 404 } } } }, { response_flag_filter: {} }] } },
    pass: [rec(404), rec(200, 'DC')],
    block: [rec(200)],
  },
  {
    name: 'and of status and header present',
    filter: { and_filter: { filters: [{ status_code_filter: { comparison: { op: 'GE', value: { default_value: 400 } } } }, { header_filter: { header: { name: 'X-Debug', present_match: true } } }] } },
    pass: [rec(500, '-', 1, ['x-debug', '1'])],
    block: [rec(500), rec(200, '-', 1, ['x-debug', '1'])],
  },
  {
    name: 'header_filter string_match prefix, inverted',
    filter: { header_filter: { header: { name: 'user-agent', string_match: { prefix: 'kube-probe' }, invert_match: true } } },
    pass: [rec(200, '-', 1, ['user-agent', 'curl/8'])],
    block: [rec(200, '-', 1, ['user-agent', 'kube-probe/1.29'])],
  },
  { name: 'runtime_filter 0%', filter: { runtime_filter: { runtime_key: 'k', percent_sampled: { numerator: 0, denominator: 'HUNDRED' } } }, pass: [], block: [rec(200)] },
];
for (const c of filterCases) {
  test(`filter: ${c.name}`, () => {
    const f = compileAccessLogFilter(c.filter);
    assert.ok(f.ok, f.ok ? '' : JSON.stringify(f.errors));
    for (const r of c.pass) assert.equal(f.value.evaluate(r), true, `${r.responseCode} ${r.responseFlags}`);
    for (const r of c.block) assert.equal(f.value.evaluate(r), false, `${r.responseCode} ${r.responseFlags}`);
  });
}

const badFilters: { name: string; filter: ProtoObject; path: string; error: RegExp }[] = [
  { name: 'unknown flag', filter: { response_flag_filter: { flags: ['UF', 'XX'] } }, path: 'filter.response_flag_filter.flags[1]', error: /unknown response flag "XX"/ },
  { name: 'grpc filter', filter: { grpc_status_filter: {} }, path: 'filter.grpc_status_filter', error: /not supported/ },
  { name: 'bad op', filter: { status_code_filter: { comparison: { op: 'GT', value: { default_value: 1 } } } }, path: 'filter.status_code_filter.comparison.op', error: /EQ, GE, LE or NE/ },
  { name: 'and with one child', filter: { and_filter: { filters: [{ not_health_check_filter: {} }] } }, path: 'filter.and_filter.filters', error: /at least 2/ },
];
for (const c of badFilters) {
  test(`filter error: ${c.name}`, () => {
    const f = compileAccessLogFilter(c.filter);
    assert.equal(f.ok, false);
    if (!f.ok) {
      assert.equal(f.errors[0].path, c.path);
      assert.match(f.errors[0].message, c.error);
    }
  });
}

test('AccessLogger: filter + format + file sink end to end; validateAccessLog reports paths', async (t) => {
  const path = join(await tempDir(t), 'a.log');
  const config = {
    name: 'envoy.access_loggers.file',
    sink: { kind: 'file' as const, path },
    format: { kind: 'text' as const, template: '%RESPONSE_CODE% %RESPONSE_FLAGS%\n' },
    filter: { status_code_filter: { comparison: { op: 'GE', value: { default_value: 400 } } } },
  };
  assert.deepEqual(validateAccessLog(config, 'accessLog[0]'), []);
  const logger = createAccessLogger(config);
  assert.ok(logger instanceof AccessLogger);
  assert.equal(createAccessLogger(config).sink, logger.sink, 'one sink per file');
  logger.log(rec(200));
  logger.log(rec(503, 'UF'));
  logger.log(rec(404, 'NR'));
  await logger.close();
  assert.equal(await readFile(path, 'utf8'), '503 UF\n404 NR\n');

  const bad = { ...config, format: { kind: 'text' as const, template: '%NOPE%' }, filter: { grpc_status_filter: {} } };
  assert.deepEqual(
    validateAccessLog(bad, 'accessLog[0]').map((e) => e.path),
    ['accessLog[0].format', 'accessLog[0].filter.grpc_status_filter'],
  );
  assert.throws(() => createAccessLogger(bad), /invalid access log/);
});

test('writeEntry formats into the batch across buffer boundaries, and a line too long for a buffer still arrives whole', async (t) => {
  const path = join(await tempDir(t), 'entries.log');
  const sink = new FileSink(path, { batchFlushBytes: 700 });
  const compiled = compileFormat({ kind: 'text', template: '%RESPONSE_CODE% %REQ(USER-AGENT)% %DURATION%\n' });
  assert.ok(compiled.ok);
  const formatter = compiled.value;
  const r = new AccessLogRecord();
  const expected: string[] = [];
  for (let i = 0; i < 3_000; i++) {
    r.responseCode = 200 + (i % 7);
    r.durationMs = i;
    r.requestHeaders = ['user-agent', i % 1000 === 99 ? 'é'.repeat(40_000) : `agent-${i} ${'ü'.repeat(i % 30)}`];
    expected.push(formatter.format(r));
    sink.writeEntry(formatter, r);
  }
  await sink.close();
  assert.equal(await readFile(path, 'utf8'), expected.join(''));
  assert.equal(sink.droppedLines, 0);
});
