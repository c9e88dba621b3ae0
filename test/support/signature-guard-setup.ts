import { scanForSignatures, signatureLeaks } from './signature-guard';

// Installed for every test file (jest.config.js): whatever reaches stdout or stderr is scanned for signatures,
// and the file fails if one appeared. Capturing helpers scan what they swallow.
// The streams outlive a test file (a jest worker, or the mutation run's single process, runs many files), so
// each is wrapped once and the wrapper scans with the current file's scanner; wrapping per file would stack.
const SCANNER = Symbol.for('github-event-bus.signature-scanner');
type Guarded = NodeJS.WriteStream & { [SCANNER]?: (text: string) => void };

for (const stream of [process.stdout, process.stderr] as Guarded[]) {
  if (!stream[SCANNER]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      stream[SCANNER]?.(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  stream[SCANNER] = scanForSignatures;
}

afterAll(() => {
  // What is written after this file's tests (jest's own report) is not the handler's, and this file's scanner
  // must not be called once its environment is torn down.
  for (const stream of [process.stdout, process.stderr] as Guarded[]) delete stream[SCANNER];
  expect(signatureLeaks()).toEqual([]);
});
