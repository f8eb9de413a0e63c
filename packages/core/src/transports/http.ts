/**
 * One HTTP call with real upload progress: XMLHttpRequest in a browser (fetch cannot report upload
 * progress over HTTP/1.1), fetch elsewhere.
 */
export interface HttpOptions {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
  onUploadProgress?: (loaded: number, total: number) => void;
  fetch?: typeof fetch;
}

function viaXhr(url: string, options: HttpOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method, url);
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.responseType = 'arraybuffer';
    xhr.upload.onprogress = (event) => options.onUploadProgress?.(event.loaded, event.total);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const empty = xhr.status === 204 || xhr.status === 304;
      resolve(new Response(empty ? null : (xhr.response as ArrayBuffer), { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new TypeError('Network request failed'));
    xhr.ontimeout = () => reject(new DOMException('The request timed out', 'TimeoutError'));
    const abort = () => {
      xhr.abort();
      reject(
        options.signal?.reason instanceof DOMException
          ? options.signal.reason
          : new DOMException('Aborted', 'AbortError'),
      );
    };
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    xhr.send(options.body ?? null);
  });
}

export async function httpRequest(url: string, options: HttpOptions): Promise<Response> {
  // A custom fetch (tests, the in-page sandbox) is honoured: only the real network goes through XHR.
  if (
    !options.fetch &&
    options.onUploadProgress &&
    options.body !== undefined &&
    typeof XMLHttpRequest !== 'undefined'
  ) {
    return viaXhr(url, options);
  }
  const response = await (options.fetch ?? fetch)(url, {
    method: options.method,
    headers: options.headers,
    // As bytes: some fetch implementations rescan a large string body for lone surrogates.
    body: typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body,
    signal: options.signal,
    credentials: 'same-origin',
    // Neither MES nor the gateway redirects an API call: following one would carry the ID token
    // elsewhere. ('manual' and a refusal here: Node 20's fetch stops honouring the abort signal
    // while reading a body with 'error'.)
    redirect: 'manual',
  });
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel().catch(() => undefined);
    throw new TypeError(`Redirect refused (${response.status})`);
  }
  if (options.body !== undefined) options.onUploadProgress?.(options.body.length, options.body.length);
  return response;
}
