// Writes a peer-bench summary table into BENCHMARKS.md between the BENCH markers, with the machine.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const [summaryPath, benchmarksPath] = process.argv.slice(2);
const summary = readFileSync(summaryPath, 'utf8').trim();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const block = [
  '<!-- BENCH:START -->',
  `Run ${new Date().toISOString()} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  `Command: \`npm run bench\` (TARGETS='${process.env.TARGETS ?? ''}' CONNS=${process.env.CONNS ?? ''} REPS=${process.env.REPS ?? ''} DURATION=${process.env.DURATION ?? ''}).`,
  '',
  summary,
  '<!-- BENCH:END -->',
].join('\n');
const doc = readFileSync(benchmarksPath, 'utf8');
const next = doc.includes('<!-- BENCH:START -->') ? doc.replace(/<!-- BENCH:START -->[\s\S]*<!-- BENCH:END -->/, block) : `${doc.trim()}\n\n${block}\n`;
writeFileSync(benchmarksPath, next);
console.log(`recorded in ${benchmarksPath}`);
