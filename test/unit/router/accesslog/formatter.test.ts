import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { AccessLogRecord } from '../../../../src/router/accesslog/access-log-record.js';
import { compileFormat, compileHeaderValueFormat, isStaticHeaderValue, type Formatter } from '../../../../src/router/accesslog/formatter.js';
import { DEFAULT_ACCESS_LOG_FORMAT } from '../../../../src/xds/resources/access-log.js';

function record(): AccessLogRecord {
  const r = new AccessLogRecord();
  r.startTimeMs = Date.UTC(2016, 3, 15, 20, 17, 0, 310);
  r.method = 'POST';
  r.path = '/api/v1/locations?x=1';
  r.authority = 'locations';
  r.scheme = 'http';
  r.protocol = 'HTTP/2';
  r.requestHeaders = ['host', 'locations', 'x-forwarded-for', '10.0.35.28', 'user-agent', 'nsq2http', 'x-request-id', 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2', 'x-empty', ''];
  r.responseHeaders = ['x-envoy-upstream-service-time', '100', 'content-type', 'text/plain'];
  r.responseTrailers = ['grpc-status', '0'];
  r.responseCode = 204;
  r.responseCodeDetails = 'via_upstream';
  r.responseFlags = '-';
  r.bytesReceived = 154;
  r.bytesSent = 0;
  r.durationMs = 226;
  r.requestDurationMs = 3;
  r.responseDurationMs = 120;
  r.upstreamHost = '10.0.2.1:80';
  r.upstreamCluster = 'svc--rev-1';
  r.upstreamLocalAddress = '10.0.0.5:40000';
  r.downstreamRemoteAddress = '[2001:db8::1]:5555';
  r.downstreamDirectRemoteAddress = '192.168.1.9:5556';
  r.downstreamLocalAddress = '127.0.0.1:8080';
  r.requestId = 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2';
  r.routeName = 'default';
  r.attemptCount = 2;
  r.connectionId = 17;
  return r;
}

function text(template: string): Formatter {
  const f = compileFormat({ kind: 'text', template });
  assert.ok(f.ok, f.ok ? '' : JSON.stringify(f.errors));
  return f.value;
}

function json(fields: Record<string, unknown>): Formatter {
  const f = compileFormat({ kind: 'json', fields } as Parameters<typeof compileFormat>[0]);
  assert.ok(f.ok, f.ok ? '' : JSON.stringify(f.errors));
  return f.value;
}

test("Envoy's default format renders Envoy's documented example line", () => {
  assert.equal(
    text(DEFAULT_ACCESS_LOG_FORMAT).format(record()),
    '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations?x=1 HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "10.0.2.1:80"\n',
  );
});

test('unset values print "-" in the default format', () => {
  const r = new AccessLogRecord();
  r.startTimeMs = 0;
  r.method = 'GET';
  r.path = '/';
  r.protocol = 'HTTP/1.1';
  r.responseCode = 404;
  r.responseFlags = 'NR';
  assert.equal(text(DEFAULT_ACCESS_LOG_FORMAT).format(r), '[1970-01-01T00:00:00.000Z] "GET / HTTP/1.1" 404 NR 0 0 0 - "-" "-" "-" "-" "-"\n');
});

const operatorCases: { op: string; expected: string }[] = [
  { op: '%START_TIME%', expected: '2016-04-15T20:17:00.310Z' },
  { op: '%START_TIME(%Y/%m/%dT%H:%M:%S%z %s)%', expected: '2016/04/15T20:17:00+0000 1460751420' },
  { op: '%START_TIME(%s.%3f)%', expected: '1460751420.310' },
  { op: '%START_TIME(%s.%6f)%', expected: '1460751420.310000' },
  { op: '%START_TIME(%s.%9f)%', expected: '1460751420.310000000' },
  { op: '%START_TIME(%F %T.%E3S)%', expected: '2016-04-15 20:17:00.00.310' },
  { op: '%REQ(:METHOD)% %REQ(:PATH)% %REQ(:AUTHORITY)% %REQ(:SCHEME)%', expected: 'POST /api/v1/locations?x=1 locations http' },
  { op: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%', expected: '/api/v1/locations?x=1' },
  { op: '%REQ(USER-AGENT):3%', expected: 'nsq' },
  { op: '%REQ(X-MISSING)%|%REQ(X-EMPTY)%|', expected: '-||' },
  { op: '%REQUEST_HEADER(X-MISSING?USER-AGENT)%', expected: 'nsq2http' },
  { op: '%RESP(CONTENT-TYPE)% %RESP(:STATUS)% %RESPONSE_HEADER(X-NONE)%', expected: 'text/plain 204 -' },
  { op: '%TRAILER(GRPC-STATUS)% %TRAILER(X?GRPC-STATUS)%', expected: '0 0' },
  { op: '%RESPONSE_CODE% %RESPONSE_CODE_DETAILS%', expected: '204 via_upstream' },
  { op: '%RESPONSE_FLAGS% %RESPONSE_FLAGS_LONG%', expected: '- -' },
  { op: '%DURATION% %REQUEST_DURATION% %RESPONSE_DURATION%', expected: '226 3 120' },
  { op: '%BYTES_RECEIVED% %BYTES_SENT% %PROTOCOL%', expected: '154 0 HTTP/2' },
  { op: '%UPSTREAM_HOST% %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS%', expected: '10.0.2.1:80 svc--rev-1 10.0.0.5:40000' },
  { op: '%UPSTREAM_TRANSPORT_FAILURE_REASON%', expected: '-' },
  { op: '%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_REMOTE_PORT%', expected: '[2001:db8::1]:5555 2001:db8::1 5555' },
  { op: '%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_LOCAL_PORT%', expected: '127.0.0.1:8080 127.0.0.1 8080' },
  { op: '%DOWNSTREAM_DIRECT_REMOTE_ADDRESS% %DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%', expected: '192.168.1.9:5556 192.168.1.9' },
  { op: '%REQUEST_ID% %ROUTE_NAME% %UPSTREAM_REQUEST_ATTEMPT_COUNT% %CONNECTION_ID%', expected: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2 default 2 17' },
  { op: '%HOSTNAME%', expected: hostname() },
  { op: '100%% done %VIRTUAL_CLUSTER_NAME%', expected: '100% done -' },
];
for (const c of operatorCases) {
  test(`operator ${c.op}`, () => assert.equal(text(c.op).format(record()), c.expected));
}

test('response flags long names', () => {
  const r = record();
  r.responseFlags = 'UF,URX';
  assert.equal(text('%RESPONSE_FLAGS% %RESPONSE_FLAGS_LONG%').format(r), 'UF,URX UpstreamConnectionFailure,UpstreamRetryLimitExceeded');
});

const errorCases = [
  { template: '%NOT_AN_OPERATOR%', error: /unsupported command operator %NOT_AN_OPERATOR%/ },
  { template: 'abc %', error: /position 4/ },
  { template: '%REQ()%', error: /requires a header name/ },
  { template: '%REQ(A?B?C)%', error: /more than 1 alternative/ },
  { template: '%PROTOCOL(x)%', error: /takes no arguments/ },
  { template: '%lower%', error: /couldn't find a valid command/ },
];
for (const c of errorCases) {
  test(`compile error: ${c.template}`, () => {
    const f = compileFormat({ kind: 'text', template: c.template });
    assert.equal(f.ok, false);
    if (!f.ok) assert.match(f.errors[0].message, c.error);
  });
}

test('JSON format: single operators keep their type, unset is null, mixed strings stay strings, nesting', () => {
  const f = compileFormat({
    kind: 'json',
    fields: {
      code: '%RESPONSE_CODE%',
      duration: '%DURATION%',
      protocol: '%PROTOCOL%',
      start: '%START_TIME%',
      missing: '%REQ(X-MISSING)%',
      label: 'took %DURATION%ms',
      upstream: { host: '%UPSTREAM_HOST%', attempts: '%UPSTREAM_REQUEST_ATTEMPT_COUNT%' },
      fixed: 7,
    },
  });
  assert.ok(f.ok);
  const line = f.value.format(record());
  assert.ok(line.endsWith('}\n'));
  assert.equal(line.split('\n').length, 2, 'one object per line');
  assert.deepEqual(JSON.parse(line), {
    code: 204,
    duration: 226,
    protocol: 'HTTP/2',
    start: '2016-04-15T20:17:00.310Z',
    missing: null,
    label: 'took 226ms',
    upstream: { host: '10.0.2.1:80', attempts: 2 },
    fixed: 7,
  });
  const bad = compileFormat({ kind: 'json', fields: { a: { b: '%NOPE%' } } });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.equal(bad.errors[0].path, 'a.b');
});

test('header value formats: operators, constants, unset renders empty', () => {
  const dyn = compileHeaderValueFormat('%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%');
  assert.ok(dyn.ok);
  assert.equal(dyn.value(record()), '2001:db8::1');
  const mixed = compileHeaderValueFormat('v=%REQ(user-agent)%;t=%START_TIME(%s)%;m=%REQ(x-missing)%');
  assert.ok(mixed.ok);
  assert.equal(mixed.value(record()), 'v=nsq2http;t=1460751420;m=');
  const constant = compileHeaderValueFormat('plain 50%%');
  assert.ok(constant.ok);
  assert.equal(constant.value(new AccessLogRecord()), 'plain 50%');
  assert.equal(isStaticHeaderValue('plain 50%%'), true);
  assert.equal(isStaticHeaderValue('%START_TIME%'), false);
  assert.equal(compileHeaderValueFormat('%BAD%').ok, false);
});

test('every record shares one hidden shape (all fields set in the constructor)', () => {
  assert.deepEqual(Object.keys(new AccessLogRecord()), Object.keys(record()));
});

test('formatInto writes exactly the UTF-8 bytes of format(), for text and JSON formats', () => {
  const r = record();
  r.requestHeaders = [...r.requestHeaders!, 'user-agent', 'caf\u00e9 \u2713 \u{1f600}'];
  r.durationMs = 4294967296; // past the integer fast path
  r.bytesReceived = 0;
  const formats: Formatter[] = [
    text(DEFAULT_ACCESS_LOG_FORMAT),
    text('%REQ(USER-AGENT)% | h\u00e9 %DURATION% %BYTES_RECEIVED% %RESPONSE_CODE% %REQ(X-MISSING)% 100%%\n'),
    text(''),
    json({ code: '%RESPONSE_CODE%', ua: '%REQ(USER-AGENT)%', nested: { d: '%DURATION% ms' } }),
  ];
  for (const f of formats) {
    const expected = Buffer.from(f.format(r), 'utf8');
    const buf = Buffer.alloc(expected.length + 8, 0x2e);
    assert.equal(f.formatInto(r, buf, 3), 3 + expected.length);
    assert.deepEqual(buf.subarray(3, 3 + expected.length), expected);
    assert.equal(f.formatInto(r, Buffer.alloc(expected.length + 2), 3), expected.length === 0 ? 3 : -1, 'one byte short does not fit');
  }
});
