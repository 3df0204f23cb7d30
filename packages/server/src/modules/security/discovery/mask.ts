/**
 * Masking of the examples a scan shows, so that a report never spreads the data it warns about. Each kind
 * keeps only what tells a reader what the value is (the region of an identity number, the operator prefix
 * of a mobile number, the domain of an e-mail address) and hides the rest with asterisks.
 */
import type { RecognizerId } from './discovery.model.ts';

function stars(count: number): string {
  return '*'.repeat(Math.max(1, count));
}

/** Keeps `head` characters at the start and `tail` at the end; at least one character is hidden. */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) {
    const keep = Math.max(0, Math.floor((chars.length - 1) / 2));
    return chars.slice(0, keep).join('') + stars(chars.length - keep);
  }
  return (
    chars.slice(0, head).join('') +
    stars(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

/** Hides every digit after the first `keep` digits, leaving separators and any prefix in place. */
function maskDigitsAfter(value: string, keep: number, tailKeep: number): string {
  let total = 0;
  for (const c of value) if (c >= '0' && c <= '9') total++;
  let seen = 0;
  let out = '';
  for (const c of value) {
    if (c >= '0' && c <= '9') {
      seen++;
      out += seen <= keep || seen > total - tailKeep ? c : '*';
    } else out += c;
  }
  return out;
}

export function maskValue(recognizer: RecognizerId, value: string): string {
  const v = value.trim();
  switch (recognizer) {
    case 'resident-id':
      // Region code and the last four (sequence and check character); the birth date is hidden.
      return keepEnds(v, 6, 4);
    case 'credit-code':
      return keepEnds(v, 6, 2);
    case 'mobile': {
      // +86 138****8000: country code and operator prefix, and the last four digits.
      const prefix = /^(\+86|0086)/.exec(v)?.[0] ?? '';
      return prefix + maskDigitsAfter(v.slice(prefix.length), 3, 4);
    }
    case 'email': {
      const at = v.lastIndexOf('@');
      if (at < 1) return keepEnds(v, 1, 0);
      return `${v[0]}${stars(at - 1)}${v.slice(at)}`;
    }
    case 'bank-card':
      return maskDigitsAfter(v, 4, 4);
    case 'passport':
      return keepEnds(v, 1, 2);
    case 'vehicle-plate':
      // Province and issuing authority (京A), then hidden.
      return keepEnds(v, 2, 0);
    case 'ipv4': {
      const parts = v.split('.');
      return `${parts[0]}.${parts[1]}.*.*`;
    }
    case 'ipv6': {
      const groups = v.split(':');
      return `${groups.slice(0, 2).join(':')}:*`;
    }
    case 'coordinates':
      // Two decimals left: about 1 km, the district rather than the door.
      return v.replace(
        /(\d+\.\d{2})(\d+)/g,
        (_, kept: string, hidden: string) => kept + stars(hidden.length),
      );
    case 'person-name':
      return keepEnds(v, 1, 0);
    case 'address': {
      const chars = Array.from(v);
      const head = Math.min(6, Math.floor(chars.length / 3));
      return chars.slice(0, head).join('') + stars(chars.length - head);
    }
  }
}
