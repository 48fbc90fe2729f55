import * as tf from '@tensorflow/tfjs';
import { currentBackend, initTfBackend } from './backend';

describe('TF.js backend', () => {
  it('falls back from tfjs-node to WASM (or CPU) and reports it', async () => {
    const name = await initTfBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(name);
    expect(currentBackend()).toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(await initTfBackend()).toBe(name);
  });

  it('can switch to the CPU backend on request and back', async () => {
    const first = await initTfBackend();
    expect(await initTfBackend('cpu')).toBe('cpu');
    expect(tf.tidy(() => tf.add(1, 2).dataSync()[0])).toBe(3);
    expect(await initTfBackend(first)).toBe(first);
  });
});
