// The SDK clients as configured for the handler, against a loopback endpoint that never answers: a hung call is
// abandoned after the request timeout and tried again, and every call and retry is logged by operation.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { captureLogs } from '../../fixtures/capture-logs';

type Clients = typeof import('../../../handler/aws/clients');

/** A local endpoint that never answers, recording when each attempt arrived, by the bus name it asked for. */
const hangingEndpoint = async () => {
  const arrivals = new Map<string, number[]>();
  const server = createServer((request) => {
    const at = Date.now();
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const name = (JSON.parse(body) as { Name: string }).Name;
      arrivals.set(name, [...(arrivals.get(name) ?? []), at]);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals, server };
};

let endpoint: Awaited<ReturnType<typeof hangingEndpoint>>;
const ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS',
];
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  endpoint = await hangingEndpoint();
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint.url, AWS_REGION: 'us-east-1' });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
});

afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  endpoint.server.closeAllConnections();
  endpoint.server.close();
});

/** A fresh copy of the clients module (its clients are made once per module, reading the timeout then). */
const clientsWith = (requestTimeoutMs: string | undefined): Clients => {
  if (requestTimeoutMs === undefined) delete process.env.GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS;
  else process.env.GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS = requestTimeoutMs;
  let clients: Clients | undefined;
  jest.isolateModules(() => {
    clients = require('../../../handler/aws/clients');
    clients?.eventBridgeClient();
  });
  return clients as Clients;
};

/** Sends one DescribeEventBus of bus `name` for `ms` to the hanging endpoint; when each attempt arrived. */
const attemptsWithin = async (name: string, ms: number, requestTimeoutMs: string | undefined) => {
  const clients = clientsWith(requestTimeoutMs);
  const started = Date.now();
  const error = await clients
    .eventBridgeClient()
    .send(new DescribeEventBusCommand({ Name: name }), { abortSignal: AbortSignal.timeout(ms) })
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  return { after: (endpoint.arrivals.get(name) ?? []).map((at) => at - started), error, clients };
};

describe('a call that hangs', () => {
  it('is abandoned after GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS and tried again, until the request gives up', async () => {
    // Prepare
    const logs = captureLogs();
    // Act
    const { after, error, clients } = await attemptsWithin('short', 1_200, '250');
    // Assess: 250 ms per attempt, 50-100 ms between them.
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after[1]).toBeLessThan(800);
    expect(clients.failedOperation(error)).toBe('DescribeEventBus');
    expect(logs.atLevel('INFO')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'aws retry', operation: 'DescribeEventBus', retry: 1 }),
        expect.objectContaining({ message: 'aws call', operation: 'DescribeEventBus', outcome: 'AbortError' }),
      ]),
    );
    const call = logs.atLevel('INFO').find(({ message }) => message === 'aws call');
    expect(call?.ms).toBeGreaterThanOrEqual(1_150);
    expect(call?.ms).toBeLessThan(5_000);
  });
});

describe('the request timeout', () => {
  it.each([
    [5_000, undefined],
    [5_000, '0'],
    [5_000, '-250'],
    [5_000, 'abc'],
    [250, '250'],
  ])('is %i ms when GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS is %s', (ms, configured) => {
    // Act
    const timeout = clientsWith(configured).requestTimeoutMs();
    // Assess
    expect(timeout).toBe(ms);
  });
});
