import { describe, expect, it } from "vitest";
import { batchPerTask } from "../../app/_components/batch-per-task";

const nextTask = () => new Promise((r) => setTimeout(r, 0));

describe("batch per task", () => {
  it("hands over everything added during one task in one call, in order, and starts afresh after", async () => {
    const calls: number[][] = [];
    const batch = batchPerTask<number>((items) => calls.push(items));
    batch.add([1, 2]);
    batch.add([3]);
    expect(calls).toEqual([]);
    await nextTask();
    expect(calls).toEqual([[1, 2, 3]]);
    batch.add([4]);
    await nextTask();
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it("drops what is pending when cancelled", async () => {
    const calls: number[][] = [];
    const batch = batchPerTask<number>((items) => calls.push(items));
    batch.add([1]);
    batch.cancel();
    await nextTask();
    expect(calls).toEqual([]);
  });
});
