/**
 * Storage of a fitted tree ensemble (gradient-boosting.ts): `serializeGbm` packs it into three
 * base64 arrays in pre-order (≈ 7 bytes a node, against ≈ 30 as JSON numbers) for the model
 * registry; `deserializeGbm` restores it.
 */
import type { GbmArtifact, GbmTree } from './gradient-boosting';

/** A GbmArtifact packed for storage: nodes in pre-order (a left child follows its parent). */
export interface SerializedGbm {
  format: 'halve-gbm/1';
  columns: number;
  base: number;
  /** Nodes per tree. */
  treeSizes: number[];
  /** Int16 per node: split feature, −1 for a leaf. */
  featuresBase64: string;
  /** Float32 per node: the threshold of a split, the value of a leaf. */
  valuesBase64: string;
  /** Uint32 per node: distance from a split to its right child (0 for a leaf). */
  rightOffsetsBase64: string;
}

/** A typed array's bytes as base64 (also the PV GBM's packed profiles, pv-gbm.ts). */
export const toBase64 = (a: ArrayBufferView): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** A typed array made (`make`) over a copy of base64 bytes, `bytesPerItem` each. */
export function fromBase64<T>(
  text: string,
  make: (buffer: ArrayBuffer, length: number) => T,
  bytesPerItem: number,
): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return make(copy, bytes.byteLength / bytesPerItem);
}

/** Packs a fitted ensemble for storage (values as float32). */
export function serializeGbm(artifact: GbmArtifact): SerializedGbm {
  const total = artifact.trees.reduce((a, t) => a + t.feature.length, 0);
  const features = new Int16Array(total);
  const values = new Float32Array(total);
  const rights = new Uint32Array(total);
  const treeSizes: number[] = [];
  let k = 0;
  for (const tree of artifact.trees) {
    const start = k;
    // iterative pre-order walk: right children are patched when reached
    const stack: { node: number; parentSlot: number }[] = [{ node: 0, parentSlot: -1 }];
    while (stack.length) {
      const { node, parentSlot } = stack.pop()!;
      if (parentSlot >= 0) rights[parentSlot] = k - parentSlot;
      features[k] = tree.feature[node];
      values[k] = tree.feature[node] >= 0 ? tree.threshold[node] : tree.value[node];
      const slot = k++;
      if (tree.feature[node] >= 0) {
        stack.push({ node: tree.right[node], parentSlot: slot });
        stack.push({ node: tree.left[node], parentSlot: -1 });
      }
    }
    treeSizes.push(k - start);
  }
  return {
    format: 'halve-gbm/1',
    columns: artifact.columns,
    base: artifact.base,
    treeSizes,
    featuresBase64: toBase64(features),
    valuesBase64: toBase64(values),
    rightOffsetsBase64: toBase64(rights),
  };
}

/** Restores `serializeGbm` output. */
export function deserializeGbm(packed: SerializedGbm): GbmArtifact {
  if (packed.format !== 'halve-gbm/1')
    throw new Error(`unknown tree-ensemble format ${String(packed.format)}`);
  const features = fromBase64(packed.featuresBase64, (b, n) => new Int16Array(b, 0, n), 2);
  const values = fromBase64(packed.valuesBase64, (b, n) => new Float32Array(b, 0, n), 4);
  const rights = fromBase64(packed.rightOffsetsBase64, (b, n) => new Uint32Array(b, 0, n), 4);
  const total = packed.treeSizes.reduce((a, n) => a + n, 0);
  if (features.length !== total || values.length !== total || rights.length !== total) {
    throw new Error(
      `tree ensemble is corrupt: ${total} nodes declared, arrays of ${features.length}/${values.length}/${rights.length}`,
    );
  }
  const trees: GbmTree[] = [];
  let start = 0;
  for (const size of packed.treeSizes) {
    const tree: GbmTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    for (let i = 0; i < size; i++) {
      const k = start + i;
      const split = features[k] >= 0;
      tree.feature.push(features[k]);
      tree.threshold.push(split ? values[k] : 0);
      tree.value.push(split ? 0 : values[k]);
      tree.left.push(split ? i + 1 : -1);
      tree.right.push(split ? i + rights[k] : -1);
    }
    trees.push(tree);
    start += size;
  }
  return { format: 'halve-gbm/1', columns: packed.columns, base: packed.base, trees };
}
