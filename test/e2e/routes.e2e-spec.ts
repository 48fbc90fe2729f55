import { TestApp, startApp } from '../support/harness';
import { listRoutes } from '../support/routes';

describe('route declarations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('every route declares who may call it', () => {
    const routes = listRoutes(t.app);
    expect(routes.length).toBeGreaterThan(15);
    const undeclared = routes
      .filter((r) => !r.access)
      .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('organisation routes carry :orgId and certifier routes :bodyId, so the guard can resolve membership', () => {
    const wrong = listRoutes(t.app).filter(
      (r) =>
        (r.access?.kind === 'org' && !r.path.includes(':orgId')) ||
        (r.access?.kind === 'certifier' && !r.path.includes(':bodyId')),
    );
    expect(wrong).toEqual([]);
  });

  it('the guard refuses a route that declares nothing (deny by default)', async () => {
    const { AccessGuard } = await import('@halve/platform');
    const guard = t.app.get(AccessGuard);
    const handler = function undeclared() {};
    class UndeclaredController {}
    const ctx = {
      getType: () => 'http',
      getHandler: () => handler,
      getClass: () => UndeclaredController,
      switchToHttp: () => ({ getRequest: () => ({ header: () => undefined, params: {} }) }),
    };
    await expect(guard.canActivate(ctx as never)).rejects.toThrow(/declares no access rule/);
  });
});
