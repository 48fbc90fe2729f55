/**
 * JSON-serialisable TF.js model artifacts: topology + weight specs + base64 weights,
 * captured with `tf.io.withSaveHandler` and restored with `tf.io.fromMemory`, so models
 * live in a database row or a committed JSON file, never behind file:// (tfjs-node is an
 * optional dependency and usually absent).
 */
import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tf';

export interface SerializedNetwork {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** Weights as little-endian float32 bytes, base64. */
  weightDataBase64: string;
}

function toArrayBuffer(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  return Array.isArray(data) ? tfjs().io.concatenateArrayBuffers(data) : data;
}

/** Serialises a layers model's topology and weights into plain JSON-able data. */
export async function serializeNetwork(model: tf.LayersModel): Promise<SerializedNetwork> {
  let captured: SerializedNetwork | null = null;
  await model.save(
    tfjs().io.withSaveHandler(async (artifacts) => {
      if (!artifacts.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
        throw new Error('model save produced no topology or weights');
      }
      captured = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs,
        weightDataBase64: Buffer.from(
          toArrayBuffer(artifacts.weightData as ArrayBuffer | ArrayBuffer[]),
        ).toString('base64'),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('model save handler was not called');
  return captured;
}

/** Restores a layers model from `serializeNetwork` output. */
export async function deserializeNetwork(network: SerializedNetwork): Promise<tf.LayersModel> {
  const bytes = Buffer.from(network.weightDataBase64, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tfjs().loadLayersModel(
    tfjs().io.fromMemory({
      modelTopology: network.modelTopology,
      weightSpecs: network.weightSpecs,
      weightData,
    }),
  );
}

/** Deterministic PRNG (mulberry32) for shuffles and sampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
