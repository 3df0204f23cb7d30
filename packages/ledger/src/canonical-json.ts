// RFC 8785 JSON Canonicalization Scheme. No node: imports: the browser verifier uses it for tree heads.

const encoder = new TextEncoder();

/**
 * Serialises `value` per RFC 8785 (JCS): object members sorted by the UTF-16 code units of their names,
 * no insignificant whitespace, numbers in ECMAScript Number-to-String form, strings escaped as
 * JSON.stringify does (which matches JCS).
 *
 * Values that JSON.stringify would silently drop or mangle are rejected with an Error instead, because a
 * hash over a lossy serialisation would commit to something other than what the caller passed:
 * undefined, functions, symbols, bigint, NaN and ±Infinity, strings with lone surrogates, cycles, and
 * objects that are neither plain objects nor arrays (Map, Set, class instances, typed arrays, ...).
 * Objects with a toJSON method (such as Date) are serialised through it, as JSON.stringify would.
 */
export function canonicalJson(value: unknown): string {
  return new Serialiser().value(value, '');
}

/** UTF-8 bytes of {@link canonicalJson}. */
export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return encoder.encode(canonicalJson(value));
}

class Serialiser {
  // Containers currently being serialised (cycle detection) and the keys leading to the current value
  // (only turned into a path when reporting an error, so the common case pays nothing for it).
  readonly ancestors = new Set<object>();
  readonly trail: (string | number)[] = [];

  value(value: unknown, key: string): string {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        if (!Number.isFinite(value)) this.fail(`non-finite number ${value}`);
        // ES Number::toString is exactly the JCS number format; it also maps -0 to "0".
        return String(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        return value === null ? 'null' : this.object(value, key);
      default:
        return this.fail(`cannot serialise ${typeof value}`);
    }
  }

  string(value: string): string {
    // A lone surrogate has no UTF-8 encoding; TextEncoder would turn it into U+FFFD and two different
    // strings would hash the same.
    if (!value.isWellFormed()) this.fail('string with a lone surrogate');
    return JSON.stringify(value);
  }

  object(value: object, key: string): string {
    if (this.ancestors.has(value)) this.fail('cycle');
    this.ancestors.add(value);
    let out: string;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      out = this.value(toJSON.call(value, key), key);
    } else if (Array.isArray(value)) {
      out = '[';
      for (let i = 0; i < value.length; i++) {
        this.trail.push(i);
        out += (i > 0 ? ',' : '') + this.value(value[i], String(i));
        this.trail.pop();
      }
      out += ']';
    } else {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
        this.fail(`cannot serialise ${typeof name === 'string' && name !== '' ? name : 'non-plain'} object`);
      }
      // The default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 prescribes.
      const keys = Object.keys(value).sort();
      const record = value as Record<string, unknown>;
      out = '{';
      for (let i = 0; i < keys.length; i++) {
        const name = keys[i]!;
        this.trail.push(name);
        out += `${i > 0 ? ',' : ''}${this.string(name)}:${this.value(record[name], name)}`;
        this.trail.pop();
      }
      out += '}';
    }
    this.ancestors.delete(value);
    return out;
  }

  fail(reason: string): never {
    let path = '$';
    for (const step of this.trail)
      path += typeof step === 'number' ? `[${step}]` : `[${JSON.stringify(step)}]`;
    throw new Error(`canonicalJson: ${reason} at ${path}`);
  }
}
