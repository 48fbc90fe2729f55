export * from './student-t';
export * from './uncertainty';
export * from './caltrack';
export * from './g14';
export { weightedLeastSquares, type SparseRow, type LeastSquaresFit } from './least-squares';
export * from './time-of-week';
