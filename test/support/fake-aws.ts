import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error as AWS answers it, whichever protocol the request came in. */
export type AwsErrorAnswer = { status: number; code: string; message: string };

export type FakeAws = { url: string; requests: string[]; close(): Promise<void> };

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * A loopback endpoint that answers every request with one AWS error, in the protocol the request used: JSON for
 * an `x-amz-target` request (EventBridge), query XML for a form-encoded one (CloudFormation, STS). Each request is
 * recorded as its operation name.
 */
export const startFakeAws = async (answer: AwsErrorAnswer): Promise<FakeAws> => {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    readBody(request).then(
      (body) => {
        const target = request.headers['x-amz-target'];
        if (typeof target === 'string') {
          requests.push(target.split('.').at(-1) ?? target);
          response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
          response.end(JSON.stringify({ __type: answer.code, message: answer.message }));
          return;
        }
        requests.push(new URLSearchParams(body).get('Action') ?? `${request.method} ${request.url}`);
        response.writeHead(answer.status, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${answer.code}</Code><Message>${answer.message}</Message>` +
            '</Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
        );
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
