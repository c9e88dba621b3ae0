import { redactText, redactUrl } from '../../../handler/cfn/redact';
import { FAKE_SIGNATURE, RESPONSE_URL, SIGNED_QUERY } from '../../fixtures/events';

describe('redactUrl', () => {
  it('replaces the query string with ***', () => {
    // Prepare
    const url = RESPONSE_URL;

    // Act
    const redacted = redactUrl(url);

    // Assess
    expect(redacted).toBe(`${url.slice(0, url.indexOf('?'))}?***`);
    expect(redacted).not.toContain(FAKE_SIGNATURE);
  });

  it('keeps the scheme, host, port and path', () => {
    // Prepare
    const url = `http://127.0.0.1:8080/some/path?${SIGNED_QUERY}`;

    // Act
    const redacted = redactUrl(url);

    // Assess
    expect(redacted).toBe('http://127.0.0.1:8080/some/path?***');
  });

  it('leaves a URL without a query string as it is', () => {
    // Prepare
    const url = 'https://bucket.s3.amazonaws.com/key';

    // Act
    const redacted = redactUrl(url);

    // Assess
    expect(redacted).toBe(url);
  });

  it('drops user credentials written into the URL', () => {
    // Prepare
    const url = 'https://user:secret@bucket.s3.amazonaws.com/key?X-Amz-Signature=abc';

    // Act
    const redacted = redactUrl(url);

    // Assess
    expect(redacted).toBe('https://bucket.s3.amazonaws.com/key?***');
  });

  it('gives a placeholder, not the text, for a URL it cannot parse', () => {
    // Prepare
    const url = `not a url ?${SIGNED_QUERY}`;

    // Act
    const redacted = redactUrl(url);

    // Assess
    expect(redacted).toBe('<unparseable url>');
  });
});

describe('redactText', () => {
  it('replaces the query string wherever the text quotes it', () => {
    // Prepare
    const text = `PUT ${RESPONSE_URL} failed; retried ${RESPONSE_URL}`;

    // Act
    const redacted = redactText(text, RESPONSE_URL);

    // Assess
    expect(redacted).not.toContain(FAKE_SIGNATURE);
    expect(redacted).toBe(`PUT ${redactUrl(RESPONSE_URL)} failed; retried ${redactUrl(RESPONSE_URL)}`);
  });

  it('replaces the query string quoted without the rest of the URL', () => {
    // Prepare
    const text = `signed with ${SIGNED_QUERY}.`;

    // Act
    const redacted = redactText(text, RESPONSE_URL);

    // Assess
    expect(redacted).toBe('signed with ***.');
  });

  it('leaves a text that does not quote the query string as it is', () => {
    // Prepare
    const text = 'EventBusName must not be "default"';

    // Act
    const redacted = redactText(text, RESPONSE_URL);

    // Assess
    expect(redacted).toBe(text);
  });

  it.each([
    ['has no query string', 'https://bucket.s3.amazonaws.com/key'],
    ['ends in an empty query string', 'https://bucket.s3.amazonaws.com/key?'],
  ])('leaves the text as it is when the URL %s', (_, url) => {
    // Prepare
    const text = `calling ${url} failed`;

    // Act
    const redacted = redactText(text, url);

    // Assess
    expect(redacted).toBe(text);
  });

  it('replaces the query string of a ResponseURL that is nothing but a query string', () => {
    // Prepare
    const url = `?${SIGNED_QUERY}`;

    // Act
    const redacted = redactText(`Invalid URL: ${url}`, url);

    // Assess
    expect(redacted).toBe('Invalid URL: ?***');
  });
});
