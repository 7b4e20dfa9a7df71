import { describe, expect, it } from 'vitest';
import { groupWriter } from '../../../register/frame-import';
import type { FrameRow } from '../../../register/frame-reader';

const rows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ org_id: `K${from + i}` }) as FrameRow);

/** A stage that takes `ms` and records what it was given and what was in progress. */
function recorder(ms = 5) {
  const staged: string[][] = [];
  let busy = 0;
  let maxBusy = 0;
  let moves = 0;
  return {
    staged,
    get maxBusy() {
      return maxBusy;
    },
    get moves() {
      return moves;
    },
    stage: async (group: FrameRow[]) => {
      busy++;
      maxBusy = Math.max(maxBusy, busy);
      staged.push(group.map((r) => r.org_id));
      await new Promise((r) => setTimeout(r, ms));
    },
    move: async () => {
      moves++;
      busy--;
    },
  };
}

describe('groupWriter', () => {
  it('writes every row once, in order, in groups of the given size, one group at a time', async () => {
    const r = recorder();
    const writer = groupWriter(r.stage, r.move, 5);
    for (let i = 0; i < 23; i += 2) await writer.write(rows(i, Math.min(2, 23 - i)));
    await writer.end();
    expect(r.staged.map((g) => g.length)).toEqual([6, 6, 6, 5]);
    expect(r.staged.flat()).toEqual(rows(0, 23).map((row) => row.org_id));
    expect(r.moves).toBe(4);
    expect(r.maxBusy).toBe(1);
  });

  it('lets the reader go on while a group is written, and waits when the next one is full', async () => {
    let release = () => {};
    const stage = () => new Promise<void>((resolve) => (release = resolve));
    const writer = groupWriter(stage, async () => {}, 2);
    await writer.write(rows(0, 2)); // group 1 starts writing and does not finish
    await writer.write(rows(2, 1)); // collected while group 1 is written
    let waited = true;
    const full = writer.write(rows(3, 1)).then(() => (waited = false));
    await new Promise((r) => setTimeout(r, 10));
    expect(waited).toBe(true); // group 2 is full: it waits for group 1
    release();
    await full;
    expect(waited).toBe(false);
    release();
    await writer.end();
  });

  it('throws the first failure to the reader and writes nothing after it', async () => {
    const r = recorder(1);
    let calls = 0;
    const writer = groupWriter(
      async (group) => {
        if (++calls === 2) throw new Error('kapot');
        await r.stage(group);
      },
      r.move,
      3,
    );
    await writer.write(rows(0, 3));
    await writer.write(rows(3, 3)); // the second group fails while the third is collected
    await expect(
      (async () => {
        for (let i = 6; i < 30; i += 3) await writer.write(rows(i, 3));
      })(),
    ).rejects.toThrow('kapot');
    await writer.settle();
    expect(calls).toBe(2);
    await expect(writer.end()).rejects.toThrow('kapot');
  });

  it('end() throws a failure of the last group; settle() never throws', async () => {
    const writer = groupWriter(
      async () => {
        throw new Error('laatste');
      },
      async () => {},
      10,
    );
    await writer.write(rows(0, 4));
    await expect(writer.end()).rejects.toThrow('laatste');
    await expect(writer.settle()).resolves.toBeUndefined();
  });
});
