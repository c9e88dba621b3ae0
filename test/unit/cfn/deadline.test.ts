import {
  answerReserveMs,
  type Budget,
  DeadlineError,
  requestBudget,
  serviceTimeoutMs,
  startDeadline,
  undoReserveMs,
} from '../../../handler/cfn/deadline';

/** Records whether and how the deadline's promise has settled. */
const watch = (expired: Promise<never>) => {
  const seen: { error?: unknown } = {};
  expired.catch((error: unknown) => {
    seen.error = error;
  });
  return seen;
};

describe('answerReserveMs', () => {
  it.each([
    [5_000, 500],
    [20_000, 2_000],
    [50_000, 5_000],
    [100_000, 10_000],
  ])('keeps a tenth of %i ms for the answer', (remaining, reserve) => {
    // Prepare: the remaining time

    // Act
    const kept = answerReserveMs(remaining);

    // Assess
    expect(kept).toBe(reserve);
  });

  it.each([2_000, 4_999])('keeps at least 500 ms when %i ms remain', (remaining) => {
    // Prepare: the remaining time

    // Act
    const kept = answerReserveMs(remaining);

    // Assess
    expect(kept).toBe(500);
  });

  it.each([
    [1_000, 250],
    [1_500, 375],
    [0, 0],
  ])('keeps no more than a quarter of a tiny budget of %i ms, so the work has its share', (remaining, reserve) => {
    // Act
    const kept = answerReserveMs(remaining);
    // Assess
    expect(kept).toBe(reserve);
  });

  it.each([100_001, 900_000])('keeps at most 10 s when %i ms remain', (remaining) => {
    // Prepare: the remaining time

    // Act
    const kept = answerReserveMs(remaining);

    // Assess
    expect(kept).toBe(10_000);
  });
});

describe('undoReserveMs', () => {
  it.each([
    [8_000, 2_000],
    [2_000, 500],
    [1_000, 250],
    [100_000, 25_000],
    [300_000, 60_000],
    [900_000, 60_000],
  ])('waits a quarter of %i ms, at most 60 s, for partial work to be taken back', (total, reserve) => {
    // Act
    const kept = undoReserveMs(total);
    // Assess
    expect(kept).toBe(reserve);
  });
});

describe('serviceTimeoutMs', () => {
  it.each([
    ['8', 8_000],
    ['1', 1_000],
    ['3600', 3_600_000],
    [360, 360_000],
  ])('reads ServiceTimeout %p as %i ms', (raw, ms) => {
    // Act
    const read = serviceTimeoutMs(raw);
    // Assess
    expect(read).toBe(ms);
  });

  it.each([undefined, '', ' ', '0', '3601', '-5', '8.5', 'eight', '1e3x', null, {}, true])(
    'ignores a ServiceTimeout of %p (absent or malformed)',
    (raw) => {
      // Act
      const read = serviceTimeoutMs(raw);
      // Assess
      expect(read).toBeUndefined();
    },
  );
});

describe('requestBudget', () => {
  it('takes the ServiceTimeout when it ends before the Lambda does, less the time already spent', () => {
    // Act
    const budget = requestBudget(300_000, '8', 250);
    // Assess
    expect(budget).toEqual({ totalMs: 7_750, source: 'ServiceTimeout' });
  });

  it('takes the Lambda’s remaining time when it ends first', () => {
    // Act
    const budget = requestBudget(5_000, '360', 100);
    // Assess
    expect(budget).toEqual({ totalMs: 5_000, source: 'lambda' });
  });

  it.each([undefined, 'soon'])('takes the Lambda’s remaining time when ServiceTimeout is %p', (raw) => {
    // Act
    const budget = requestBudget(300_000, raw, 0);
    // Assess
    expect(budget).toEqual({ totalMs: 300_000, source: 'lambda' });
  });

  it('counts the time already spent against the ServiceTimeout only: the Lambda’s remaining time is net of it', () => {
    // Act: 5 s of ServiceTimeout less 100 ms spent ends before the Lambda's 5 s left.
    const budget = requestBudget(5_000, '5', 100);
    // Assess
    expect(budget).toEqual({ totalMs: 4_900, source: 'ServiceTimeout' });
  });

  it('never goes below zero when the ServiceTimeout has already passed', () => {
    // Act
    const budget = requestBudget(300_000, '1', 2_000);
    // Assess
    expect(budget).toEqual({ totalMs: 0, source: 'ServiceTimeout' });
  });
});

describe('startDeadline', () => {
  const budget = (totalMs: number): Budget => ({ totalMs, source: 'lambda' });

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2024-10-01T12:00:00Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives the work the budget less the undo and answer reserves', () => {
    // Prepare
    const now = Date.now();
    // Act
    const deadline = startDeadline(budget(60_000));
    // Assess: answer 6 s, undo 15 s
    expect(deadline.workAt).toBe(now + 39_000);
    expect(deadline.undoAt).toBe(now + 54_000);
    deadline.finish();
  });

  it('keeps no undo reserve when there is nothing to undo', () => {
    // Prepare
    const now = Date.now();
    // Act
    const deadline = startDeadline(budget(60_000), { undo: false });
    // Assess
    expect(deadline.workAt).toBe(now + 54_000);
    expect(deadline.undoAt).toBe(now + 54_000);
    deadline.finish();
  });

  it('measures from the given start time', () => {
    // Act
    const deadline = startDeadline(budget(300_000), {}, 1_000_000);
    // Assess
    expect(deadline.workAt).toBe(1_000_000 + 230_000);
    expect(deadline.undoAt).toBe(1_000_000 + 290_000);
    deadline.finish();
  });

  it('aborts the work’s signal at the work deadline, and only then', async () => {
    // Prepare
    const deadline = startDeadline(budget(60_000));
    // Act
    await jest.advanceTimersByTimeAsync(38_999);
    const before = deadline.work.aborted;
    await jest.advanceTimersByTimeAsync(1);
    // Assess
    expect(before).toBe(false);
    expect(deadline.work.aborted).toBe(true);
    expect(deadline.workExpired()).toBe(true);
    expect(deadline.undo.aborted).toBe(false);
    deadline.finish();
  });

  it('rejects with a DeadlineError and aborts the undo at the answer reserve', async () => {
    // Prepare
    const deadline = startDeadline(budget(60_000));
    const seen = watch(deadline.expired);
    // Act
    await jest.advanceTimersByTimeAsync(53_999);
    const before = { ...seen };
    await jest.advanceTimersByTimeAsync(1);
    // Assess
    expect(before).not.toHaveProperty('error');
    expect(seen.error).toBeInstanceOf(DeadlineError);
    expect(seen.error).toMatchObject({ name: 'DeadlineError', budgetMs: 39_000 });
    expect(deadline.undo.aborted).toBe(true);
  });

  it('says in its message how long the work had, what limited it, and that retrying continues', async () => {
    // Prepare
    const deadline = startDeadline({ totalMs: 8_000, source: 'ServiceTimeout' });
    const seen = watch(deadline.expired);
    // Act
    await jest.advanceTimersByTimeAsync(8_000);
    // Assess: answer 0.8 s, undo 2 s, work 5.2 s
    expect((seen.error as Error).message).toMatch(
      /^The work did not finish within 5 s, before the resource's ServiceTimeout.*Retrying/,
    );
  });

  it('names the Lambda function’s timeout when that is what limited the work', async () => {
    // Prepare
    const deadline = startDeadline({ totalMs: 8_000, source: 'lambda' });
    const seen = watch(deadline.expired);
    // Act
    await jest.advanceTimersByTimeAsync(8_000);
    // Assess
    expect((seen.error as Error).message).toMatch(
      /^The work did not finish within 5 s, before the Lambda function's timeout;/,
    );
  });

  it('fires at once when no time remains', async () => {
    // Prepare
    const deadline = startDeadline(budget(0));
    const seen = watch(deadline.expired);
    // Act
    await jest.advanceTimersByTimeAsync(0);
    // Assess
    expect(deadline.work.aborted).toBe(true);
    expect(seen.error).toBeInstanceOf(DeadlineError);
  });

  it('gives the work half of a tiny budget (ServiceTimeout 1), the undo and the answer a quarter each', () => {
    // Prepare
    const now = Date.now();
    // Act
    const deadline = startDeadline({ totalMs: 1_000, source: 'ServiceTimeout' });
    // Assess
    expect(deadline.workAt).toBe(now + 500);
    expect(deadline.answerAt).toBe(now + 750);
    deadline.finish();
  });

  it('lets the undo outlive the answer when the function has more time than the request', async () => {
    // Prepare: an 8 s ServiceTimeout in a function with 300 s left
    const deadline = startDeadline({ totalMs: 8_000, source: 'ServiceTimeout' }, { lambdaMs: 300_000 });
    const seen = watch(deadline.expired);
    let undoEnded = false;
    void deadline.undoEnded.then(() => {
      undoEnded = true;
    });
    // Act
    await jest.advanceTimersByTimeAsync(7_200);
    const atAnswer = { expired: seen.error, undoAborted: deadline.undo.aborted, undoEnded };
    await jest.advanceTimersByTimeAsync(290_000 - 7_200 - 1);
    const beforeEnd = deadline.undo.aborted;
    await jest.advanceTimersByTimeAsync(1);
    // Assess: the answer at 8 s less 0.8 s; the undo until 300 s less 10 s
    expect(atAnswer).toEqual({ expired: expect.any(DeadlineError), undoAborted: false, undoEnded: false });
    expect(beforeEnd).toBe(false);
    expect(deadline.undo.aborted).toBe(true);
    expect(undoEnded).toBe(true);
  });

  it('ends the work but not the undo when the answer goes out early', async () => {
    // Prepare
    const deadline = startDeadline(budget(60_000));
    const seen = watch(deadline.expired);
    // Act
    deadline.endWork();
    const undoAbortedAtOnce = deadline.undo.aborted;
    await jest.advanceTimersByTimeAsync(54_000);
    // Assess: the answer's timer is gone; the undo's still ends at its time
    expect(deadline.work.aborted).toBe(true);
    expect(deadline.workExpired()).toBe(false);
    expect(undoAbortedAtOnce).toBe(false);
    expect(seen).not.toHaveProperty('error');
    expect(deadline.undo.aborted).toBe(true);
    deadline.finish();
  });

  it('does not count the work as expired when it was only finished', () => {
    // Prepare
    const deadline = startDeadline(budget(60_000));
    // Act
    deadline.finish();
    // Assess
    expect(deadline.work.aborted).toBe(true);
    expect(deadline.undo.aborted).toBe(true);
    expect(deadline.workExpired()).toBe(false);
  });

  it('never fires once finished, and leaves no timer behind', async () => {
    // Prepare
    const deadline = startDeadline(budget(60_000));
    const seen = watch(deadline.expired);
    // Act
    deadline.finish();
    const timers = jest.getTimerCount();
    await jest.advanceTimersByTimeAsync(120_000);
    // Assess
    expect(timers).toBe(0);
    expect(seen).not.toHaveProperty('error');
  });

  it('does not reject unhandled when nobody listens as it fires', async () => {
    // Prepare
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    startDeadline(budget(1_000));
    // Act
    await jest.advanceTimersByTimeAsync(1_000);
    jest.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    // Assess
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
