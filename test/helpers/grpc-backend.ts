/**
 * Real gRPC backends for proxyless-client tests: a unary `Who` method with raw-buffer
 * (de)serializers (no proto on either side) that answers the backend's name, and a client call
 * that returns it.
 */
import * as grpc from '@grpc/grpc-js';

const CALL_DEADLINE_MS = 2_000;

export const WHO_METHOD = {
  path: '/switchyard.test.Echo/Who',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
} as const;

/** Starts a backend on 127.0.0.1:0 that answers `name`; stopped in the test's cleanup. */
export async function startGrpcBackend(t: { after(fn: () => Promise<void> | void): void }, name: string): Promise<number> {
  const server = new grpc.Server();
  server.addService({ Who: WHO_METHOD } as unknown as grpc.ServiceDefinition, {
    Who: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from(name)),
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  t.after(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
  return port;
}

/** One Who call: the name of the backend that answered. */
export function who(client: grpc.Client): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(WHO_METHOD.path, WHO_METHOD.requestSerialize, WHO_METHOD.responseDeserialize, Buffer.alloc(0), { deadline: Date.now() + CALL_DEADLINE_MS }, (err, res) =>
      err ? reject(err) : resolve(res!.toString()),
    );
  });
}

/** How many of `n` sequential calls each backend answered. */
export async function countCalls(client: grpc.Client, n: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const name = await who(client);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
