import * as tf from '@tensorflow/tfjs';
import { currentBackend, initTfBackend } from './backend';
import { installWasmTransposedMatMul, lastAxesSwapped } from './wasm-matmul';

describe('WASM BatchMatMul with transposed operands (issue 19)', () => {
  it('swaps the last two axes', () => {
    expect(lastAxesSwapped(2)).toEqual([1, 0]);
    expect(lastAxesSwapped(3)).toEqual([0, 2, 1]);
  });

  it('multiplies aᵀ·b, a·bᵀ and aᵀ·bᵀ as worked by hand, and releases its transposes', async () => {
    const first = await initTfBackend();
    try {
      if ((await initTfBackend('wasm')) !== 'wasm') return; // no WASM backend here: nothing to replace
      expect(installWasmTransposedMatMul()).toBe(true);
      const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]); // rows (1,2) (3,4) (5,6)
      const b = tf.tensor2d([1, 0, 2, 0, 1, 1], [3, 2]); // rows (1,0) (2,0) (1,1)
      const before = tf.memory().numTensors;
      const bytes = tf.memory().numBytes;
      // aᵀ·b: [[1+6+5, 0+0+5], [2+8+6, 0+0+6]]
      expect(Array.from(tf.matMul(a, b, true, false).dataSync())).toEqual([12, 5, 16, 6]);
      // a·bᵀ (3 × 3): row (1,2)·(1,0),(2,0),(1,1) = 1, 2, 3; (3,4) → 3, 6, 7; (5,6) → 5, 10, 11
      expect(Array.from(tf.matMul(a, b, false, true).dataSync())).toEqual([1, 2, 3, 3, 6, 7, 5, 10, 11]);
      // aᵀ·bᵀ with a 2 × 3 b: a is 3 × 2, so aᵀ (2 × 3) · (bᵀ = 3 × 2 from b 2 × 3)
      const c = tf.tensor2d([1, 0, 1, 0, 1, 1], [2, 3]); // rows (1,0,1) (0,1,1)
      // aᵀ rows (1,3,5) (2,4,6); cᵀ's columns are c's rows (1,0,1) and (0,1,1): 6, 8 | 8, 10
      expect(Array.from(tf.matMul(a, c, true, true).dataSync())).toEqual([6, 8, 8, 10]);
      expect(tf.memory().numTensors).toBe(before + 4); // the three products and c, no transposes
      expect(tf.memory().numBytes).toBe(bytes + 4 * (4 + 9 + 4 + 6));
      expect(currentBackend()).toBe('wasm');
    } finally {
      await initTfBackend(first);
    }
  });
});
