/**
 * What keeps a sandbox on a developer's machine from being used by the web pages that developer
 * visits: only loopback host names (no DNS rebinding), and an admin API that refuses browsers'
 * cross-origin requests. Also CORS for the FHIR API, so that a public client (direct mode) can
 * call it from its own origin.
 */
import type { SandboxConfig } from './config.js';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** The origins this sandbox answers as, for a given port. */
export function loopbackOrigins(port: number): string[] {
  return LOOPBACK_HOSTS.map((host) => `http://${host}:${port}`);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** `Host` must name this machine: a page on another name that resolves here gets nothing. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  return !!host && loopbackOrigins(port).includes(`http://${host}`);
}

/** The admin API takes requests from scripts and tools, never from a page on another origin. */
export function adminRefusal(request: Request, port: number): string | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null && !loopbackOrigins(port).includes(origin))
    return 'Cross-origin requests to the admin API are refused.';
  // A chunked body announces no length: it is a body all the same.
  const hasBody = Number(request.headers.get('content-length') ?? 0) > 0 || request.headers.has('transfer-encoding');
  if (request.method !== 'GET' && request.method !== 'DELETE' && hasBody) {
    if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) {
      return 'The admin API takes application/json bodies only.';
    }
  }
  return undefined;
}

/** CORS for the FHIR API: the origins of the public clients' redirect URIs, nothing else. */
export function fhirCors(config: SandboxConfig) {
  const allowed = new Set(
    config.services.filter((s) => !s.clientSecret).flatMap((s) => s.redirectUris.map((uri) => new URL(uri).origin)),
  );
  const common = (origin: string) => ({ 'access-control-allow-origin': origin, vary: 'Origin' });
  return {
    /** The answer to a preflight, or undefined when the request is not one. */
    preflight(request: Request): Response | undefined {
      const origin = request.headers.get('origin');
      if (request.method !== 'OPTIONS') return undefined;
      if (!origin || !allowed.has(origin)) return new Response(null, { status: 403 });
      return new Response(null, {
        status: 204,
        headers: {
          ...common(origin),
          'access-control-allow-methods': 'GET, POST, PUT, PATCH',
          'access-control-allow-headers': `authorization, content-type, if-none-exist, ${config.idTokenHeader.toLowerCase()}`,
          'access-control-max-age': '600',
        },
      });
    },
    decorate(request: Request, response: Response): Response {
      const origin = request.headers.get('origin');
      if (!origin || !allowed.has(origin)) return response;
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(common(origin))) headers.set(name, value);
      headers.set('access-control-expose-headers', 'location, etag, retry-after');
      return new Response(response.body, { status: response.status, headers });
    },
  };
}
