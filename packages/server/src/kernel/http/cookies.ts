/**
 * The value of cookie `name` in a Cookie header, or undefined; the first one when the header repeats it.
 * Reads the one cookie every request may carry (the session) without parsing the others: the cookie plugin,
 * which parses them all, runs only on the routes that set cookies. Decoded as the plugin decodes.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!value.includes('%')) return value;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}
