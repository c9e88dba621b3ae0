// npm start. Plain JavaScript, so that node runs it at once: a TypeScript entry waits half a second or more for tsx
// to compile it, and a Ctrl-C in that time ended the run without a word. Until scripts/lifecycle/main.ts takes the
// signals over, one ends the run here, before anything was created.
const early = (signal) => {
  const line = `${signal}: nothing was created yet; stopping.`;
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ ok: false, problem: line })}\n`);
  process.stderr.write(`${line}\n`);
  process.exit(130);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);

require('tsx/cjs/api').register();
const { main } = require('./lifecycle/main.ts');
// main installs its own handlers before it first waits; only then do these go, so that at no moment is there no
// handler (the signal would be lost, not acted on).
const run = main(process.argv.slice(2));
process.removeListener('SIGINT', early);
process.removeListener('SIGTERM', early);

run.then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
