import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from '../src/index.ts';

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the RFC 8785 §3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, including non-ASCII (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalJson(input)));
    expect(keys).toEqual(['1', '\r', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    // JSON.parse puts the integer-like key first, so check the text order too.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // Code-unit order differs from code-point order for astral characters: U+1F600 sorts before U+FB33.
    expect(canonicalJson({ '\ufb33': 1, '\ud83d\ude00': 2 })).toBe('{"\ud83d\ude00":2,"\ufb33":1}');
    expect(canonicalJson({ b: 1, a: 2, A: 3, aa: 4, é: 5 })).toBe('{"A":3,"a":2,"aa":4,"b":1,"é":5}');
  });

  it('serialises numbers in ECMAScript form', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1, '-1'],
      [0.1, '0.1'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [999999999999999900000, '999999999999999900000'],
      [1e-6, '0.000001'],
      [1e-7, '1e-7'],
      [9.999999999999997e-7, '9.999999999999997e-7'],
      [5e-324, '5e-324'],
      [-5e-324, '-5e-324'],
      [Number.MAX_VALUE, '1.7976931348623157e+308'],
      [2.2250738585072014e-308, '2.2250738585072014e-308'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
      [333333333.3333333, '333333333.3333333'],
      [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [value, expected] of cases) expect(canonicalJson(value)).toBe(expected);
    expect(canonicalJson([1.5, -0, 1e21])).toBe('[1.5,0,1e+21]');
  });

  it('escapes strings as JCS requires', () => {
    expect(canonicalJson('\u0000\u0008\t\n\u000b\f\r\u001f "\\/\u007f\u2028')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f \\"\\\\/\u007f\u2028"',
    );
    expect(canonicalJson('😀é')).toBe('"😀é"');
  });

  it('has no whitespace and nests', () => {
    expect(canonicalJson({ z: [1, { y: null, x: [] }], a: {}, m: 'x' })).toBe(
      '{"a":{},"m":"x","z":[1,{"x":[],"y":null}]}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(Object.create(null))).toBe('{}');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
  });

  it('uses toJSON like JSON.stringify', () => {
    expect(canonicalJson({ at: new Date('2024-05-01T12:00:00.000Z') })).toBe(
      '{"at":"2024-05-01T12:00:00.000Z"}',
    );
    expect(canonicalJson({ k: { toJSON: (key: string) => `key ${key}` } })).toBe('{"k":"key k"}');
  });

  it('allows shared but acyclic references', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: [shared, shared] })).toBe('{"x":{"a":1},"y":[{"a":1},{"a":1}]}');
  });

  it('rejects what JSON cannot represent faithfully, naming where', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/non-finite number NaN at \$/);
    expect(() => canonicalJson({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(
      /non-finite number Infinity at \$\["a"\]\[1\]/,
    );
    expect(() => canonicalJson(-Infinity)).toThrow(/non-finite/);
    expect(() => canonicalJson(undefined)).toThrow(/cannot serialise undefined at \$/);
    expect(() => canonicalJson({ a: undefined })).toThrow(/cannot serialise undefined at \$\["a"\]/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined at \$\[0\]/);
    // biome-ignore lint/suspicious/noSparseArray: a hole is exactly what is being tested
    expect(() => canonicalJson([1, , 3])).toThrow(/undefined at \$\[1\]/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot serialise function/);
    expect(() => canonicalJson(10n)).toThrow(/cannot serialise bigint/);
    expect(() => canonicalJson(Symbol('s'))).toThrow(/cannot serialise symbol/);
    expect(() => canonicalJson(new Map())).toThrow(/cannot serialise Map object/);
    expect(() => canonicalJson({ s: new Set([1]) })).toThrow(/Set object at \$\["s"\]/);
    expect(() => canonicalJson(new Uint8Array(2))).toThrow(/Uint8Array object/);
    expect(() => canonicalJson('\ud800')).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ '\udc00': 1 })).toThrow(/lone surrogate/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { inner: cyclic };
    expect(() => canonicalJson(cyclic)).toThrow(/cycle at \$\["self"\]\["inner"\]/);
    const list: unknown[] = [];
    list.push(list);
    expect(() => canonicalJson(list)).toThrow(/cycle at \$\[0\]/);
  });

  it('round-trips through JSON.parse', () => {
    const value = { b: [1, 2.5, 'x', { d: false, c: null }], a: 'ü\n' };
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('encodes canonicalBytes as UTF-8', () => {
    expect([...canonicalBytes({ é: '€' })]).toEqual([...new TextEncoder().encode('{"é":"€"}')]);
    expect([...canonicalBytes('😀')]).toEqual([0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22]);
  });
});
