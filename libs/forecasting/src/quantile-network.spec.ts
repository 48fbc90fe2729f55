import { scheduledLearningRate } from './quantile-network';

describe('scheduledLearningRate (cosine decay to 10 %, by epochs or time budget)', () => {
  const base = 0.002;

  it('starts at the base rate and ends at a tenth of it', () => {
    expect(scheduledLearningRate(base, 0, 0)).toBeCloseTo(0.002, 12);
    expect(scheduledLearningRate(base, 1, 0)).toBeCloseTo(0.0002, 12);
  });

  it('follows whichever of epochs and budget is further along', () => {
    // half-way by time, a fifth by epochs: 0.002 × (0.1 + 0.45 × (1 + cos π/2)) = 0.0011
    expect(scheduledLearningRate(base, 0.2, 0.5)).toBeCloseTo(0.0011, 12);
    expect(scheduledLearningRate(base, 0.5, 0.2)).toBeCloseTo(0.0011, 12);
    // a quarter: 0.002 × (0.1 + 0.45 × (1 + cos π/4)) = 0.002 × 0.868198… = 0.0017364
    expect(scheduledLearningRate(base, 0.25, 0.1)).toBeCloseTo(0.002 * (0.1 + 0.45 * (1 + Math.SQRT1_2)), 12);
  });

  it('stays at the floor once the budget is overrun', () => {
    expect(scheduledLearningRate(base, 0.3, 1.7)).toBeCloseTo(0.0002, 12);
  });
});
