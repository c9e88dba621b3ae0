const { TestEnvironment } = require('jest-environment-node');

// What the code under test writes to stdout and stderr (the handler's JSON log lines, above all) is held back per
// test and shown only if the test fails, so that a passing `npm test` shows its result and not thousands of log
// lines. What a test file writes as it loads, and jest's own output, go through. The streams outlive a test file (a
// jest worker runs many), so they are wrapped once per process; the wrapper writes to the running test's buffer.
const BUFFER = Symbol.for('github-event-bus.test-output');
const THROUGH = Symbol.for('github-event-bus.write-through');

const wrap = (stream) => {
  if (Object.hasOwn(stream, THROUGH)) return;
  const write = stream.write.bind(stream);
  stream[THROUGH] = write;
  stream.write = (chunk, encoding, callback) => {
    const buffer = stream[BUFFER];
    if (!buffer) return write(chunk, encoding, callback);
    buffer.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
};

const hold = (buffer) => {
  process.stdout[BUFFER] = buffer;
  process.stderr[BUFFER] = buffer;
};

const fullName = (test) => {
  const names = [];
  for (let block = test; block?.parent; block = block.parent) names.unshift(block.name);
  return names.join(' › ');
};

class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    wrap(process.stdout);
    wrap(process.stderr);
    this.held = [];
  }

  /** Writes what was held back, stdout and stderr in the order written, to stderr between lines saying whose. */
  show(whose) {
    if (this.held.length === 0) return;
    const text = this.held.join('');
    process.stderr[THROUGH](`\n── output of ${whose} ──\n${text}${text.endsWith('\n') ? '' : '\n'}`);
    process.stderr[THROUGH](`── end of the output of ${whose} ──\n`);
  }

  /** Drops what was held back and holds what comes next. */
  restart() {
    this.held = [];
    hold(this.held);
  }

  handleTestEvent(event) {
    switch (event.name) {
      case 'run_start':
        this.restart();
        break;
      // A test's output includes what its file's hooks wrote since the test before it.
      case 'test_done':
        if (event.test.errors.length > 0) this.show(`"${fullName(event.test)}"`);
        this.restart();
        break;
      case 'hook_failure':
        if (event.hook.type === 'beforeAll' || event.hook.type === 'afterAll') {
          this.show(`the ${event.hook.type} hook that failed`);
          this.restart();
        }
        break;
      case 'run_finish':
        hold(undefined);
        break;
    }
  }

  async teardown() {
    hold(undefined);
    await super.teardown();
  }
}

module.exports = QuietEnvironment;
