import { fitGbm, predictGbm, subtractHistogram } from './gradient-boosting';

describe('gradient-boosted trees: histogram subtraction (issue 19)', () => {
  it("a sibling's histogram is the parent's minus the scanned child's, an emptied bin exactly 0", () => {
    // bin 0: three rows, all in the scanned child, summed in two orders (0.6000000000000001 vs 0.6)
    // bin 1: three rows, one of them (0.5) in the scanned child
    const parent = { g: Float64Array.from([0.1 + 0.2 + 0.3, 1.5]), n: Uint32Array.from([3, 3]) };
    const child = { g: Float64Array.from([0.1 + (0.2 + 0.3), 0.5]), n: Uint32Array.from([3, 1]) };
    expect(parent.g[0] - child.g[0]).not.toBe(0);
    const sibling = subtractHistogram(parent, child);
    expect(Array.from(sibling.n)).toEqual([0, 2]);
    expect(Array.from(sibling.g)).toEqual([0, 1]);
  });

  it('the larger child, never scanned, still finds its split', () => {
    // x = 0..9; the root splits x ≤ 5 | x > 5 (gain 752.64 + 1128.96 against 746 for x ≤ 2, worked
    // from the residuals y − 13.2); the left child (6 rows, the larger: its histogram is the root's
    // minus the right child's) splits x ≤ 2 into 0s and 4s; the right child's 30s stay one leaf
    const x = Float32Array.from({ length: 10 }, (_, i) => i);
    const y = Float32Array.from([0, 0, 0, 4, 4, 4, 30, 30, 30, 30]);
    const fit = fitGbm(x, y, 10, 1, {
      trees: 1,
      learningRate: 1,
      minLeafRows: 2,
      l2: 0,
      rowSample: 1,
      columnSample: 1,
      maxDepth: 2,
    });
    const tree = fit.artifact.trees[0];
    expect(tree.threshold[0]).toBe(5.5);
    expect(tree.threshold[tree.left[0]]).toBe(2.5);
    expect(tree.feature[tree.right[0]]).toBe(-1);
    const predicted = Array.from(predictGbm(fit.artifact, x, 10));
    predicted.forEach((p, i) => expect(p).toBeCloseTo(y[i], 10));
  });
});
