// Whether a failed create may have made something, as the handler's clients judge it from every attempt they sent:
// against a loopback endpoint that answers each attempt as scripted, by the bus name asked for.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateEventBusCommand } from '@aws-sdk/client-eventbridge';
import { captureLogs } from '../../fixtures/capture-logs';

type Clients = typeof import('../../../handler/aws/clients');
type Answer = { status: number; type: string } | 'hang';

const THROTTLED: Answer = { status: 400, type: 'ThrottlingException' };
const EXISTS: Answer = { status: 400, type: 'ResourceAlreadyExistsException' };
const DENIED: Answer = { status: 400, type: 'AccessDeniedException' };
const INTERNAL: Answer = { status: 500, type: 'InternalException' };

const scripts = new Map<string, Answer[]>();

const scriptedEndpoint = async () => {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const answers = scripts.get((JSON.parse(body) as { Name: string }).Name) ?? [];
      const answer = answers.shift() ?? EXISTS;
      if (answer === 'hang') return;
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: answer.type, message: answer.type }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
};

let endpoint: Awaited<ReturnType<typeof scriptedEndpoint>>;
let clients: Clients;
const ENV = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  endpoint = await scriptedEndpoint();
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint.url, AWS_REGION: 'us-east-1' });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  jest.isolateModules(() => {
    clients = require('../../../handler/aws/clients');
  });
});

beforeEach(() => {
  captureLogs();
  // Backoffs at their shortest
  jest.spyOn(Math, 'random').mockReturnValue(0);
});

afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  endpoint.server.closeAllConnections();
  endpoint.server.close();
});

/** Creates bus `name` against its script, within `ms`; the error it ended with. */
const failedCreate = async (name: string, answers: Answer[], ms = 5_000): Promise<unknown> => {
  scripts.set(name, [...answers]);
  return clients
    .eventBridgeClient()
    .send(new CreateEventBusCommand({ Name: name }), { abortSignal: AbortSignal.timeout(ms) })
    .then(
      () => {
        throw new Error('the create succeeded');
      },
      (thrown: unknown) => thrown,
    );
};

describe('a failed call', () => {
  it.each<[string, Answer[]]>([
    ['refused at once', [DENIED]],
    ['already there at its first attempt', [EXISTS]],
    ['throttled, then already there', [THROTTLED, EXISTS]],
    ['throttled twice, then refused', [THROTTLED, THROTTLED, DENIED]],
  ])('made nothing when every attempt was refused: %s', async (name, answers) => {
    // Act
    const error = await failedCreate(name.replace(/\W+/g, '-'), answers);
    // Assess
    expect(clients.mayHaveTakenEffect(error)).toBe(false);
  });

  it.each<[string, Answer[]]>([
    ['an internal error, then already there', [INTERNAL, EXISTS]],
    ['throttled, an internal error, then already there', [THROTTLED, INTERNAL, EXISTS]],
  ])('may have made something when an attempt was not refused: %s', async (name, answers) => {
    // Act
    const error = await failedCreate(name.replace(/\W+/g, '-'), answers);
    // Assess
    expect(clients.mayHaveTakenEffect(error)).toBe(true);
  });

  it('may have made something when it was cut short while an attempt was in flight', async () => {
    // Act
    const error = await failedCreate('cut-short', ['hang'], 300);
    // Assess
    expect(clients.mayHaveTakenEffect(error)).toBe(true);
  });

  it('made nothing when it was cut short while waiting to retry a refused attempt', async () => {
    // Prepare: the throttling backoff (250-500 ms) outlasts the call's time
    jest.spyOn(Math, 'random').mockReturnValue(1);
    // Act
    const error = await failedCreate('cut-short-in-backoff', [THROTTLED, EXISTS], 200);
    // Assess
    expect((error as Error).name).toBe('AbortError');
    expect(clients.mayHaveTakenEffect(error)).toBe(false);
  });

  it.each([
    ['a 4xx error of one attempt that no client here saw', { $metadata: { httpStatusCode: 400, attempts: 1 } }, false],
    [
      'a 4xx error after two attempts that no client here saw',
      { $metadata: { httpStatusCode: 400, attempts: 2 } },
      true,
    ],
    ['a 5xx error', { $metadata: { httpStatusCode: 500, attempts: 1 } }, true],
    ['an error without metadata', {}, true],
  ])('judges %s by its metadata', (_, fields, may) => {
    // Act & Assess
    expect(clients.mayHaveTakenEffect(Object.assign(new Error('x'), fields))).toBe(may);
  });

  it('may have made something when what failed is not even an object', () => {
    // Act & Assess
    expect(clients.mayHaveTakenEffect('thrown text')).toBe(true);
  });
});
