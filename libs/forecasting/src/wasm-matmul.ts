/**
 * A faster BatchMatMul for the WASM backend when an operand is transposed. The backend's kernel
 * runs XNNPACK only on untransposed operands and a plain loop otherwise, 3–5 × slower (256 × 55
 * by 256 × 64, aᵀ·b: 0.67 ms against 0.19 ms with an explicit Transpose first). Backpropagation
 * through a dense layer multiplies by a transposed operand twice (xᵀ·dy for the kernel's gradient,
 * dy·Wᵀ for the input's), so this wrapper — Transpose kernels, then the untransposed product — cut
 * the networks' training CPU by about a third (issue 19). The product is the same up to float
 * rounding (the sums run in another order).
 */
import type * as Tf from '@tensorflow/tfjs';
import { tfjs } from './tf';

let installed = false;

/** The permutation swapping the last two axes of a tensor of `rank` axes. */
export function lastAxesSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** Replaces the WASM backend's BatchMatMul by the wrapper (once per process; the backend must be registered). */
export function installWasmTransposedMatMul(): boolean {
  if (installed) return true;
  const tf = tfjs();
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return false;
  const kernelFunc = ((args: {
    inputs: Tf.NamedTensorInfoMap;
    backend: Tf.KernelBackend;
    attrs?: Tf.NamedAttrMap;
  }) => {
    const { inputs, backend, attrs = {} } = args;
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const explicit = (t: Tf.TensorInfo, flag: unknown): Tf.TensorInfo =>
      flag
        ? (transpose.kernelFunc({
            inputs: { x: t },
            backend,
            attrs: { perm: lastAxesSwapped(t.shape.length) },
          }) as Tf.TensorInfo)
        : t;
    const operands = inputs as { a: Tf.TensorInfo; b: Tf.TensorInfo };
    const a = explicit(operands.a, attrs.transposeA);
    const b = explicit(operands.b, attrs.transposeB);
    try {
      return original.kernelFunc({
        inputs: { a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (a !== operands.a) backend.disposeData(a.dataId);
      if (b !== operands.b) backend.disposeData(b.dataId);
    }
  }) as Tf.KernelFunc;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  installed = true;
  return true;
}
