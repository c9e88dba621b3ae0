import { answerReserveMs, DeadlineError, startDeadline } from '../../../handler/cfn/deadline';

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

  it.each([1_500, 4_999, 0])('keeps at least 500 ms when %i ms remain', (remaining) => {
    // Prepare: the remaining time

    // Act
    const kept = answerReserveMs(remaining);

    // Assess
    expect(kept).toBe(500);
  });

  it.each([100_001, 900_000])('keeps at most 10 s when %i ms remain', (remaining) => {
    // Prepare: the remaining time

    // Act
    const kept = answerReserveMs(remaining);

    // Assess
    expect(kept).toBe(10_000);
  });
});

describe('startDeadline', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2024-10-01T12:00:00Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives the work the remaining time less the reserve', () => {
    // Prepare
    const now = Date.now();

    // Act
    const deadline = startDeadline(60_000);

    // Assess
    expect(deadline.budgetMs).toBe(54_000);
    expect(deadline.at).toBe(now + 54_000);
    deadline.cancel();
  });

  it('measures from the given start time', () => {
    // Prepare
    const start = 1_000_000;

    // Act
    const deadline = startDeadline(300_000, start);

    // Assess
    expect(deadline.at).toBe(start + 290_000);
    deadline.cancel();
  });

  it('has not expired just before remaining − reserve', async () => {
    // Prepare
    const deadline = startDeadline(60_000);
    const seen = watch(deadline.expired);

    // Act
    await jest.advanceTimersByTimeAsync(53_999);

    // Assess
    expect(seen).not.toHaveProperty('error');
    deadline.cancel();
  });

  it('rejects with a DeadlineError at remaining − reserve', async () => {
    // Prepare
    const deadline = startDeadline(60_000);
    const seen = watch(deadline.expired);

    // Act
    await jest.advanceTimersByTimeAsync(54_000);

    // Assess
    expect(seen.error).toBeInstanceOf(DeadlineError);
    expect(seen.error).toMatchObject({ name: 'DeadlineError', budgetMs: 54_000 });
  });

  it('says in its message how long the work had and that retrying continues', async () => {
    // Prepare
    const deadline = startDeadline(60_000);
    const seen = watch(deadline.expired);

    // Act
    await jest.advanceTimersByTimeAsync(54_000);

    // Assess
    expect((seen.error as Error).message).toMatch(/^The work did not finish within 54 s, .*Retrying/);
  });

  it('fires at once when less than the reserve remains', async () => {
    // Prepare
    const deadline = startDeadline(300);
    const seen = watch(deadline.expired);

    // Act
    await jest.advanceTimersByTimeAsync(0);

    // Assess
    expect(deadline.budgetMs).toBe(0);
    expect(seen.error).toBeInstanceOf(DeadlineError);
  });

  it('never fires once cancelled', async () => {
    // Prepare
    const deadline = startDeadline(60_000);
    const seen = watch(deadline.expired);

    // Act
    deadline.cancel();
    await jest.advanceTimersByTimeAsync(120_000);

    // Assess
    expect(seen).not.toHaveProperty('error');
  });

  it('leaves no timer behind once cancelled', () => {
    // Prepare
    const deadline = startDeadline(60_000);

    // Act
    deadline.cancel();

    // Assess
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not reject unhandled when nobody listens as it fires', async () => {
    // Prepare
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    startDeadline(1_000);

    // Act
    await jest.advanceTimersByTimeAsync(1_000);
    jest.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
