import { log, setLogContext } from '../../../handler/log';
import { captureLogs } from '../../fixtures/capture-logs';

describe('log', () => {
  afterEach(() => {
    setLogContext({});
  });

  it('writes one JSON line per call', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('INFO', 'first');
    log('WARN', 'second');

    // Assess
    expect(logs.text().endsWith('\n')).toBe(true);
    expect(logs.lines()).toHaveLength(2);
    expect(logs.entries().map((entry) => entry.message)).toEqual(['first', 'second']);
  });

  it.each(['INFO', 'WARN', 'ERROR'] as const)('carries the level %s and the message', (level) => {
    // Prepare
    const logs = captureLogs();

    // Act
    log(level, 'something happened');

    // Assess
    expect(logs.entries()[0]).toMatchObject({ level, message: 'something happened' });
  });

  it('carries an ISO timestamp', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('INFO', 'now');

    // Assess
    const { timestamp } = logs.entries()[0] as { timestamp: string };
    expect(new Date(timestamp).toISOString()).toBe(timestamp);
  });

  it('carries the fields of the call', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('INFO', 'aws call', { operation: 'CreateEventBus', ms: 12, nested: { a: [1] } });

    // Assess
    expect(logs.entries()[0]).toMatchObject({ operation: 'CreateEventBus', ms: 12, nested: { a: [1] } });
  });

  it('repeats the context fields on every line', () => {
    // Prepare
    const logs = captureLogs();
    setLogContext({ requestType: 'Create', logicalResourceId: 'Bus', requestId: 'r-1' });

    // Act
    log('INFO', 'one');
    log('ERROR', 'two', { extra: true });

    // Assess
    for (const entry of logs.entries()) {
      expect(entry).toMatchObject({ requestType: 'Create', logicalResourceId: 'Bus', requestId: 'r-1' });
    }
  });

  it('replaces the context fields of the previous invocation', () => {
    // Prepare
    const logs = captureLogs();
    setLogContext({ requestType: 'Create', requestId: 'r-1' });

    // Act
    setLogContext({ requestId: 'r-2' });
    log('INFO', 'next invocation');

    // Assess
    expect(logs.entries()[0]).toMatchObject({ requestId: 'r-2' });
    expect(logs.entries()[0]).not.toHaveProperty('requestType');
  });

  it('logs an error as its name and message', () => {
    // Prepare
    const logs = captureLogs();
    const error = new RangeError('too far');

    // Act
    log('ERROR', 'request failed', { error });

    // Assess
    expect(logs.entries()[0]?.error).toEqual({ name: 'RangeError', message: 'too far' });
  });

  it('logs the name an error was given, as AWS SDK exceptions have', () => {
    // Prepare
    const logs = captureLogs();
    const error = Object.assign(new Error('Event bus x already exists.'), { name: 'ResourceAlreadyExistsException' });

    // Act
    log('ERROR', 'request failed', { error });

    // Assess
    expect(logs.entries()[0]?.error).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus x already exists.',
    });
  });

  it('logs a plain { name, message } error object as its name and message', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('WARN', 'response not delivered', { error: { name: 'Error', message: 'socket hang up' } });

    // Assess
    expect(logs.entries()[0]?.error).toEqual({ name: 'Error', message: 'socket hang up' });
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
  ])('logs a thrown value that is %s as text', (_, thrown, text) => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('ERROR', 'request failed', { error: thrown });

    // Assess
    expect(logs.entries()[0]?.error).toBe(text);
  });

  it('logs an object whose message is not text as text, not as an error', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('ERROR', 'request failed', { error: { name: 'Odd', message: 5 } });

    // Assess
    expect(logs.entries()[0]?.error).toBe('[object Object]');
  });

  it('names an error whose name is not text Error', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('ERROR', 'request failed', { error: { name: 5, message: 'broke' } });

    // Assess
    expect(logs.entries()[0]?.error).toEqual({ name: 'Error', message: 'broke' });
  });

  it('logs a thrown object that cannot be turned into text without throwing itself', () => {
    // Prepare
    const logs = captureLogs();
    const thrown = Object.create(null);

    // Act
    const write = () => log('ERROR', 'request failed', { error: thrown });

    // Assess
    expect(write).not.toThrow();
    expect(logs.entries()[0]).toMatchObject({ level: 'ERROR', message: 'request failed' });
  });

  it('leaves the error field out when there is none', () => {
    // Prepare
    const logs = captureLogs();

    // Act
    log('INFO', 'fine', { error: undefined });

    // Assess
    expect(logs.entries()[0]).not.toHaveProperty('error');
  });
});
