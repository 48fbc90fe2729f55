import { BodyRefusedError, findBadString, jsonBodyVerifier } from './input-guard';

const verify = (json: string, depth?: number) => {
  const req = {} as Record<symbol, unknown>;
  jsonBodyVerifier(depth)(req as never, undefined, Buffer.from(json));
  return Object.getOwnPropertySymbols(req).length > 0; // the "walk me" mark
};

describe('input guard', () => {
  it('refuses nesting deeper than the limit, counting brackets outside strings only', () => {
    expect(() => verify(`${'['.repeat(33)}${']'.repeat(33)}`)).toThrow(BodyRefusedError);
    expect(() => verify(`${'['.repeat(32)}${']'.repeat(32)}`)).not.toThrow();
    expect(() => verify(`{"a":{"b":{"c":1}}}`, 2)).toThrow(/deeper than 2/);
    expect(() => verify(JSON.stringify({ s: '['.repeat(100), t: '"\\"{{{{' }), 2)).not.toThrow();
  });

  it('marks a body for the walk only when its bytes hold a \\u0000 or a surrogate escape', () => {
    expect(verify('{"name":"plain","x":"\\u00e9"}')).toBe(false);
    expect(verify('{"name":"a\\u0000b"}')).toBe(true);
    expect(verify('{"name":"\\uD83D"}')).toBe(true);
    expect(verify('{"name":"\\udc00"}')).toBe(true);
    // an escaped backslash followed by "u0000" is text, not an escape — a false alarm costs one walk only
    expect(verify('{"name":"\\\\u0000"}')).toBe(false);
  });

  it('finds NULs and lone surrogates in values and keys, naming the path', () => {
    expect(findBadString({ a: [{ b: 'ok' }, { b: 'x\u0000' }] }, '')).toEqual({
      field: 'a.1.b',
      what: 'a NUL character (U+0000)',
    });
    expect(findBadString({ name: 'x\ud800' }, '')?.field).toBe('name');
    expect(findBadString({ name: 'x\udfff y' }, '')?.what).toMatch(/lone surrogate \(U\+DFFF\)/);
    expect(findBadString({ ['k\u0000']: 1 }, '')?.what).toMatch(/in its name/);
    expect(findBadString({ name: 'Plant 🌱', n: 1, z: null }, '')).toBeNull();
  });
});
