import { ALL_ENTITIES, domainModules } from '../../api/src/app.module';
import { WORKER_ENTITIES, WORKER_LIB_MODULES } from './worker.module';

// The worker composes the libs itself; a lib added to the API but not here would have its jobs
// enqueued by the API and refused by every worker ("No handler for job type").
describe('WorkerModule', () => {
  it('runs the same lib modules as the API', () => {
    expect(WORKER_LIB_MODULES).toEqual(domainModules());
  });

  it('knows the same entities as the API', () => {
    expect(WORKER_ENTITIES).toEqual(ALL_ENTITIES);
  });
});
