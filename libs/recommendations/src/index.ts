// Public API of @halve/recommendations (pure calculation; the Nest module, review workflow and API come later).
export * from './mv';
export * from './mv/verification';
export * from './tariffs';
export * from './analysers';
