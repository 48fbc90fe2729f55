// jsdom for the portal's component tests, plus the fetch classes Node has and jsdom lacks (the typed
// client builds Headers and reads Responses; the tests mock `fetch` itself).
/* global require, module */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest loads a test environment as CommonJS
const { TestEnvironment } = require('jest-environment-jsdom');

class PortalEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Headers', 'Request', 'Response', 'TextEncoder', 'TextDecoder', 'structuredClone'])
      if (this.global[name] === undefined) this.global[name] = globalThis[name];
  }
}

module.exports = PortalEnvironment;
