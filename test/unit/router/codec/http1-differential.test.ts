/**
 * Differential test against llhttp: every corpus request goes over a real socket to a node:http
 * server (default strict parser) and through our parser; both must accept or both reject, and on
 * acceptance both must complete the same number of messages. STRICTER_THAN_LLHTTP lists the
 * documented cases where we reject and Node accepts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MessageKind } from '../../../../src/router/codec/http1-parser.js';
import { LlhttpOracle } from './llhttp-oracle.js';
import { MALFORMED_REQUESTS, STRICTER_THAN_LLHTTP, VALID_REQUESTS } from './http1-corpus.js';
import { parse, verdict } from './http1-recorder.js';

let oracle: LlhttpOracle;
before(async () => {
  oracle = await LlhttpOracle.start();
});
after(async () => {
  await oracle.close();
});

function ours(input: string): ReturnType<typeof verdict> {
  return verdict(parse(MessageKind.Request, input, [], true, { maxHeaderBytes: 16 * 1024, maxHeadersCount: 100 }));
}

for (const c of VALID_REQUESTS) {
  test(`accepted by both: ${c.name}`, async () => {
    const node = await oracle.judge(Buffer.from(c.input, 'latin1'));
    const mine = ours(c.input);
    assert.equal(node.accepted, true, `node rejected (${node.code})`);
    assert.equal(mine.accepted, true, `we rejected (${mine.code})`);
    assert.equal(mine.completed, node.completed, 'completed messages');
  });
}

for (const c of MALFORMED_REQUESTS) {
  test(`rejected by both: ${c.name}`, async () => {
    const node = await oracle.judge(Buffer.from(c.input, 'latin1'));
    const mine = ours(c.input);
    assert.equal(node.accepted, false, 'node accepted');
    assert.equal(mine.accepted, false, 'we accepted');
  });
}

for (const c of STRICTER_THAN_LLHTTP) {
  test(`documented disagreement (we reject, Node accepts): ${c.name}`, async () => {
    const node = await oracle.judge(Buffer.from(c.input, 'latin1'));
    const mine = ours(c.input);
    assert.equal(node.accepted, true, `node rejected (${node.code}): move this case to MALFORMED_REQUESTS`);
    assert.equal(mine.accepted, false, 'we accepted');
  });
}
