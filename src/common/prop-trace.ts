// TEMPORARY (not committed): propagation stage timestamps, epoch ms, when SWITCHYARD_PROP_TRACE=1.
const on = process.env.SWITCHYARD_PROP_TRACE === '1';
export function ptrace(label: string): void {
  if (on) process.stderr.write(`TRACE ${process.pid} ${label} ${(performance.timeOrigin + performance.now()).toFixed(1)}\n`);
}
