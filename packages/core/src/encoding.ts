/**
 * Bytes ↔ base64 and the SHA-1 hash PDSm puts in `attachment.hash`, with Web APIs only, so the
 * same code runs in a browser, in Node and in the in-page sandbox.
 */

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes arguments: chunk, or a 5 MB document overflows the call stack
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Throws a `DOMException` (InvalidCharacterError) when `base64` is not base64. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** SHA-1 of the bytes, base64-encoded, as `DocumentReference.content.attachment.hash` requires. */
export async function sha1Base64(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', bytes as Uint8Array<ArrayBuffer>);
  return bytesToBase64(new Uint8Array(digest));
}
