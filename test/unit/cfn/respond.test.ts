import { globalAgent } from 'node:https';
import { Socket } from 'node:net';
import { MAX_BODY_BYTES, type ResponseBody, sendResponse, serializeBody } from '../../../handler/cfn/respond';
import { captureLogs } from '../../fixtures/capture-logs';
import { STACK_ID } from '../../fixtures/events';
import { type ResponseServer, startResponseServer } from '../../fixtures/response-server';
import { selfSignedIdentity, type TlsIdentity } from '../../fixtures/tls';

const body = (fields: Partial<ResponseBody> = {}): ResponseBody => ({
  Status: 'SUCCESS',
  PhysicalResourceId: 'github-actions-event-bus',
  StackId: STACK_ID,
  RequestId: '0b6a4e6a-6a55-4c1f-9a36-3f0b3a2a9d11',
  LogicalResourceId: 'Bus',
  ...fields,
});

const failed = (reason: string): ResponseBody => body({ Status: 'FAILED', Reason: reason });

/**
 * Runs the backoff pauses at once, recording how long each would have been. Only timers of 100 ms or more are
 * pauses; shorter ones (none expected) run as asked.
 */
const skipPauses = (): number[] => {
  const pauses: number[] = [];
  const realSetTimeout = setTimeout;
  jest.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
    if ((ms ?? 0) >= 100) pauses.push(ms ?? 0);
    return realSetTimeout(callback, 0);
  }) as typeof setTimeout);
  return pauses;
};

/** Runs socket timeouts a hundred times faster, so an attempt that gets no answer is abandoned in milliseconds. */
const fastSocketTimeouts = (): void => {
  const original = Socket.prototype.setTimeout;
  jest.spyOn(Socket.prototype, 'setTimeout').mockImplementation(function (this: Socket, ms, callback) {
    return original.call(this, ms > 0 ? Math.ceil(ms / 100) : ms, callback);
  });
};

/** A body whose JSON is exactly `size` bytes, made so by the length of its Reason. */
const failedOfSize = (size: number): ResponseBody => {
  const answer = failed('');
  return failed('r'.repeat(size - Buffer.byteLength(JSON.stringify(answer))));
};

describe('serializeBody', () => {
  it('leaves a body that fits as it is', () => {
    // Prepare
    const answer = body({ Data: { EventBusName: 'github-actions-event-bus' } });

    // Act
    const text = serializeBody(answer);

    // Assess
    expect(JSON.parse(text)).toEqual(answer);
  });

  it('cuts a long Reason so the body is at most 4096 bytes', () => {
    // Prepare
    const answer = failed('x'.repeat(10_000));

    // Act
    const text = serializeBody(answer);

    // Assess
    expect(MAX_BODY_BYTES).toBe(4096);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
  });

  it('cuts a Reason of emoji between characters, never inside a surrogate pair', () => {
    // Prepare: JSON.stringify escapes a lone surrogate as \udXXX, which a cut inside a pair would leave behind
    const reason = '\u{1F600}'.repeat(3_000);

    // Act
    const text = serializeBody(failed(reason));

    // Assess
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.parse(text).Reason).toMatch(/^(\u{1F600})+\.\.\.$/u);
  });

  it('keeps the start of a cut Reason, marked with ...', () => {
    // Prepare
    const reason = `Invalid properties: ${'y'.repeat(10_000)}`;

    // Act
    const parsed = JSON.parse(serializeBody(failed(reason)));

    // Assess
    expect(parsed.Reason).toMatch(/^Invalid properties: y+\.\.\.$/);
    expect(reason.startsWith(parsed.Reason.slice(0, -3))).toBe(true);
  });

  it('leaves a body of exactly 4096 bytes whole', () => {
    // Prepare
    const answer = failedOfSize(4096);

    // Act
    const text = serializeBody(answer);

    // Assess
    expect(text).toBe(JSON.stringify(answer));
  });

  it('cuts a body of 4097 bytes to exactly 4096, the Reason marked with ...', () => {
    // Prepare
    const answer = failedOfSize(4097);

    // Act
    const text = serializeBody(answer);

    // Assess
    expect(Buffer.byteLength(text)).toBe(4096);
    expect(JSON.parse(text).Reason).toBe(`${'r'.repeat((answer.Reason as string).length - 4)}...`);
  });

  it('keeps as much of the Reason as fits', () => {
    // Prepare
    const reason = 'z'.repeat(10_000);

    // Act
    const text = serializeBody(failed(reason));

    // Assess
    expect(Buffer.byteLength(text)).toBeGreaterThan(4096 - 8);
  });

  it('keeps every other field of a cut body whole', () => {
    // Prepare
    const answer = failed('x'.repeat(10_000));

    // Act
    const parsed = JSON.parse(serializeBody(answer));

    // Assess
    const { Reason, ...rest } = answer;
    expect(parsed).toMatchObject(rest);
  });

  it.each([
    ['2-byte', 'é'],
    ['3-byte', '日'],
    ['4-byte (surrogate pair)', '😀'],
    ['mixed', 'aé日😀'],
  ])('cuts a Reason of %s characters to at most 4096 bytes of valid JSON', (_, unit) => {
    // Prepare
    const answer = failed(unit.repeat(3_000));

    // Act
    const text = serializeBody(answer);

    // Assess
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(4096);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    ['2-byte', 'é'],
    ['3-byte', '日'],
    ['4-byte (surrogate pair)', '😀'],
  ])('cuts a Reason of %s characters between characters, not inside one', (_, unit) => {
    // Prepare
    const answer = failed(`a${unit.repeat(3_000)}`);

    // Act
    const reason: string = JSON.parse(serializeBody(answer)).Reason;

    // Assess
    expect(Buffer.from(reason, 'utf8').toString('utf8')).toBe(reason); // no lone surrogate
    expect(reason.slice(1, -3)).toBe(unit.repeat((reason.length - 4) / unit.length));
  });

  it('answers FAILED without Data when the attributes alone are too large', () => {
    // Prepare
    const answer = body({ Data: { Huge: 'h'.repeat(5_000) } });

    // Act
    const parsed = JSON.parse(serializeBody(answer));

    // Assess
    expect(parsed).toEqual({
      ...body(),
      Status: 'FAILED',
      Reason: 'Response too large for CloudFormation',
    });
  });
});

describe('sendResponse', () => {
  let server: ResponseServer;

  beforeEach(async () => {
    server = await startResponseServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('PUTs the body to the ResponseURL, query string included', async () => {
    // Prepare
    captureLogs();
    const answer = body({ Data: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/b' } });

    // Act
    const sent = await sendResponse(server.url, answer);

    // Assess
    expect(sent).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.method).toBe('PUT');
    expect(server.requests[0]?.path).toBe(server.url.slice(server.url.indexOf('/', 'http://'.length)));
    expect(server.requests[0]?.json()).toEqual(answer);
  });

  it('sends an empty content-type, as the URL is signed for', async () => {
    // Prepare
    captureLogs();

    // Act
    await sendResponse(server.url, body());

    // Assess
    expect(server.requests[0]?.headers['content-type']).toBe('');
  });

  it('sends the content-length of the body in bytes', async () => {
    // Prepare
    captureLogs();
    const answer = failed('日本語の理由 😀');

    // Act
    await sendResponse(server.url, answer);

    // Assess
    const received = server.requests[0];
    expect(received?.headers['content-length']).toBe(String(received?.raw.length));
    expect(received?.raw.length).toBe(Buffer.byteLength(JSON.stringify(answer)));
  });

  it('sends a body cut to 4096 bytes when the Reason is long', async () => {
    // Prepare
    captureLogs();

    // Act
    await sendResponse(server.url, failed('😀'.repeat(5_000)));

    // Assess
    expect(server.requests[0]?.raw.length).toBeLessThanOrEqual(4096);
    expect(server.requests[0]?.json()).toMatchObject({ Status: 'FAILED' });
  });

  it('retries after a 5xx answer and reports success', async () => {
    // Prepare
    captureLogs();
    skipPauses();
    server.respondNext(2, 503);

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(true);
    expect(server.requests.map((request) => request.outcome)).toEqual([503, 503, 200]);
  });

  it('retries after the connection is dropped and reports success', async () => {
    // Prepare
    captureLogs();
    skipPauses();
    server.dropNext(2);

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(true);
    expect(server.requests.map((request) => request.outcome)).toEqual(['dropped', 'dropped', 200]);
  });

  it('sends the same body on every attempt', async () => {
    // Prepare
    captureLogs();
    skipPauses();
    server.respondNext(1, 500);
    server.dropNext(1);

    // Act
    await sendResponse(server.url, failed('why'));

    // Assess
    const bodies = server.requests.map((request) => request.body);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
  });

  it('pauses longer before each further attempt', async () => {
    // Prepare
    captureLogs();
    const pauses = skipPauses();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    server.respondNext(100, 500);

    // Act
    await sendResponse(server.url, body());

    // Assess
    expect(pauses).toHaveLength(server.requests.length - 1);
    for (let i = 1; i < pauses.length; i++) expect(pauses[i]).toBeGreaterThan(pauses[i - 1] as number);
  });

  it('waits about 200 ms before the second attempt, doubling each time', async () => {
    // Prepare
    captureLogs();
    const pauses = skipPauses();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    server.respondNext(100, 500);

    // Act
    await sendResponse(server.url, body());

    // Assess
    expect(pauses).toEqual([200, 400, 800, 1_600]);
  });

  it('logs each refusal, each lost attempt and the final giving up', async () => {
    // Prepare
    const logs = captureLogs();
    skipPauses();
    server.respondNext(2, 503);
    server.dropNext(100);

    // Act
    await sendResponse(server.url, body());

    // Assess
    const url = `${server.url.slice(0, server.url.indexOf('?'))}?***`;
    expect(logs.entries().map(({ level, message, attempt }) => [level, message, attempt])).toEqual([
      ['WARN', 'response refused', 1],
      ['WARN', 'response refused', 2],
      ['WARN', 'response not delivered', 3],
      ['WARN', 'response not delivered', 4],
      ['WARN', 'response not delivered', 5],
      ['ERROR', 'response never delivered; the stack waits for its timeout', undefined],
    ]);
    expect(logs.atLevel('ERROR')[0]).toMatchObject({ url });
    expect(logs.entries()[0]).toMatchObject({ httpStatus: 503, url });
  });

  it('jitters the pauses', async () => {
    // Prepare
    captureLogs();
    const pauses = skipPauses();
    const random = jest.spyOn(Math, 'random');

    // Act
    random.mockReturnValue(0);
    server.respondNext(1, 500);
    await sendResponse(server.url, body());
    random.mockReturnValue(0.99);
    server.respondNext(1, 500);
    await sendResponse(server.url, body());

    // Assess
    expect(pauses).toHaveLength(2);
    expect(pauses[0]).toBeLessThan(pauses[1] as number);
  });

  it('gives up after a bounded number of attempts, reporting failure', async () => {
    // Prepare
    captureLogs();
    skipPauses();
    server.respondNext(100, 500);

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(false);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    expect(server.requests.length).toBeLessThanOrEqual(10);
  });

  it('logs one ERROR line when it gives up', async () => {
    // Prepare
    const logs = captureLogs();
    skipPauses();
    server.dropNext(100);

    // Act
    await sendResponse(server.url, body());

    // Assess
    expect(logs.atLevel('ERROR')).toHaveLength(1);
  });

  it.each([
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [302, false],
  ])('counts a %i answer as delivered: %s', async (status, delivered) => {
    // Prepare
    captureLogs();
    skipPauses();
    server.respondNext(1, status);

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(delivered);
    expect(server.requests).toHaveLength(1);
  });

  it('abandons an attempt that gets no answer and delivers on the next', async () => {
    // Prepare
    captureLogs();
    skipPauses();
    fastSocketTimeouts();
    server.hangNext(1);

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(true);
    expect(server.requests.map((request) => request.outcome)).toEqual(['hung', 200]);
  }, 10_000);

  it('logs an attempt that got no answer as not delivered within 5 s', async () => {
    // Prepare
    const logs = captureLogs();
    skipPauses();
    fastSocketTimeouts();
    server.hangNext(1);

    // Act
    await sendResponse(server.url, body());

    // Assess
    expect(logs.atLevel('WARN')).toEqual([
      expect.objectContaining({ attempt: 1, error: { name: 'Error', message: 'no answer within 5000 ms' } }),
    ]);
  }, 10_000);

  it.each([400, 403, 404])('does not retry after a %i answer', async (status) => {
    // Prepare
    captureLogs();
    skipPauses();
    server.respondNext(1, status);

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('never throws when nothing listens at the URL', async () => {
    // Prepare
    captureLogs();
    skipPauses();
    const url = server.url;
    await server.close();

    // Act
    const sending = sendResponse(url, body());

    // Assess
    await expect(sending).resolves.toBe(false);
  });

  it.each([
    ['not a URL', 'not a url'],
    ['of an unsupported protocol', 'ftp://127.0.0.1/x?X-Amz-Signature=abc'],
  ])('never throws when the URL is %s', async (_, url) => {
    // Prepare
    captureLogs();
    skipPauses();

    // Act
    const sending = sendResponse(url, body());

    // Assess
    await expect(sending).resolves.toBe(false);
  });

  it('logs the outcome of each attempt with the URL redacted', async () => {
    // Prepare
    const logs = captureLogs();
    skipPauses();
    server.respondNext(1, 500);
    server.dropNext(1);

    // Act
    await sendResponse(server.url, body());

    // Assess
    const urls = logs.entries().map((entry) => entry.url);
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(url).toBe(`${server.url.slice(0, server.url.indexOf('?'))}?***`);
  });

  it('names the network error of an attempt that failed', async () => {
    // Prepare
    const logs = captureLogs();
    skipPauses();
    server.dropNext(1);

    // Act
    await sendResponse(server.url, body());

    // Assess
    const warning = logs.atLevel('WARN')[0];
    expect(warning?.error).toEqual({
      name: expect.any(String),
      message: expect.stringMatching(/socket hang up|ECONNRESET/),
    });
  });

  it.each([
    ['delivered at once', (_: ResponseServer) => undefined],
    ['refused with 5xx, then delivered', (s: ResponseServer) => s.respondNext(2, 502)],
    ['dropped until it gives up', (s: ResponseServer) => s.dropNext(100)],
    ['refused with 4xx', (s: ResponseServer) => s.respondNext(1, 403)],
  ])('never logs the query string when %s', async (_, arrange) => {
    // Prepare
    const logs = captureLogs();
    skipPauses();
    arrange(server);

    // Act
    await sendResponse(server.url, body());

    // Assess
    expect(logs.lines().length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(server.signature);
    expect(logs.text()).not.toContain('X-Amz-');
  });
});

describe('sendResponse to an HTTPS ResponseURL, as real ones are', () => {
  let identity: TlsIdentity;
  let server: ResponseServer;
  const trustedBefore = globalAgent.options.ca;

  beforeAll(() => {
    identity = selfSignedIdentity();
  });

  beforeEach(async () => {
    server = await startResponseServer({ tls: identity });
  });

  afterEach(async () => {
    globalAgent.options.ca = trustedBefore;
    await server.close();
  });

  it('PUTs the body over TLS to a server whose certificate it trusts', async () => {
    // Prepare
    captureLogs();
    globalAgent.options.ca = identity.cert;
    const answer = body({ Data: { EventBusName: 'github-actions-event-bus' } });

    // Act
    const sent = await sendResponse(server.url, answer);

    // Assess
    expect(server.url.startsWith('https://')).toBe(true);
    expect(sent).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.json()).toEqual(answer);
    expect(server.requests[0]?.headers['content-type']).toBe('');
  });

  it('sends nothing to a server whose certificate it cannot verify', async () => {
    // Prepare
    const logs = captureLogs();
    skipPauses();

    // Act
    const sent = await sendResponse(server.url, body());

    // Assess
    expect(sent).toBe(false);
    expect(server.requests).toHaveLength(0);
    expect(logs.atLevel('WARN')[0]?.error).toEqual({
      name: 'Error',
      message: expect.stringMatching(/self[- ]signed certificate/),
    });
  });
});
