/** The two cookies the gateway sets; both HttpOnly, so no script can read them. */

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function serializeCookie(
  name: string,
  value: string,
  options: { path: string; sameSite: 'Strict' | 'Lax'; secure: boolean; maxAge?: number },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    'HttpOnly',
    `SameSite=${options.sameSite}`,
    options.secure && 'Secure',
    options.maxAge !== undefined && `Max-Age=${options.maxAge}`,
  ]
    .filter(Boolean)
    .join('; ');
}
