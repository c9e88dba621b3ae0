import { scanForSignatures, signatureLeaks } from './signature-guard';

// Installed for every test file (jest.config.js): whatever reaches stdout or stderr is scanned for signatures,
// and the file fails if one appeared. Capturing helpers scan what they swallow.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    scanForSignatures(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

afterAll(() => {
  expect(signatureLeaks()).toEqual([]);
});
