/**
 * Minimal require hook so benchmarks and scripts written in TypeScript run under plain
 * node without ts-node: `node --require ./scripts/swc-register.js file.ts`.
 * Compiles `.ts` files with @swc/core (decorators + metadata, CommonJS) and resolves the
 * tsconfig path alias `@halve/<lib>` to `libs/<lib>/src`.
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveHalveAlias(request, parent, isMain, options) {
  const match = /^@halve\/([a-z-]+)(\/.*)?$/.exec(request);
  if (match) {
    request = path.join(root, 'libs', match[1], 'src', match[2] ?? '');
  }
  return originalResolve.call(this, request, parent, isMain, options);
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
