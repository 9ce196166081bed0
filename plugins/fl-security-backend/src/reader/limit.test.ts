import { forEachLimit } from './limit';

const tick = () => new Promise<void>(resolve => setImmediate(resolve));

describe('forEachLimit', () => {
  it('runs every item once, never more than the concurrency at a time', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const seen: number[] = [];
    let running = 0;
    let most = 0;
    await forEachLimit(items, 4, async item => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      seen.push(item);
      running -= 1;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(items);
    expect(most).toBe(4);
  });

  it('takes no more items after the first error and rejects with it', async () => {
    const started: number[] = [];
    const run = forEachLimit([0, 1, 2, 3, 4, 5, 6, 7], 2, async item => {
      started.push(item);
      await tick();
      if (item === 1) throw new Error('item 1 failed');
    });
    await expect(run).rejects.toThrow('item 1 failed');
    await tick();
    await tick();
    // Items 0 and 1 ran together; the worker that finished 0 took 2 before 1 failed.
    expect(started).toEqual([0, 1, 2]);
  });

  it('resolves at once for no items', async () => {
    const fn = jest.fn();
    await forEachLimit([], 6, fn);
    expect(fn).not.toHaveBeenCalled();
  });
});
