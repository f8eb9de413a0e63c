/**
 * Bytes ↔ base64 and the SHA-1 hash PDSm puts in `attachment.hash`, for browsers, Node and the
 * in-page sandbox. A 5 MB document is encoded on every send: the native encoders are used where
 * they exist (Uint8Array.prototype.toBase64 in current browsers, Buffer in Node), a chunked
 * `btoa` elsewhere.
 */

interface Base64Natives {
  toBase64?: (this: Uint8Array) => string;
  fromBase64?: (base64: string) => Uint8Array;
  Buffer?: {
    from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
    from(data: string, encoding: 'base64'): Uint8Array & { toString(encoding: 'base64'): string };
  };
}

const natives: Base64Natives = {
  toBase64: (Uint8Array.prototype as Base64Natives).toBase64,
  fromBase64: (Uint8Array as Base64Natives).fromBase64,
  Buffer: (globalThis as Base64Natives).Buffer,
};

const CHUNK = 0x8000;
/** Strict base64 (padding included), checked in linear time before decoding. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function bytesToBase64(bytes: Uint8Array): string {
  if (natives.toBase64) return natives.toBase64.call(bytes);
  if (natives.Buffer) return natives.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  // String.fromCharCode takes arguments: chunk, or a 5 MB document overflows the call stack
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Throws a SyntaxError when `base64` is not strict, canonical base64. */
export function base64ToBytes(base64: string): Uint8Array {
  if (base64.length % 4 !== 0) throw new SyntaxError('not base64');
  if (natives.Buffer) {
    // Node's decoder skips bad characters: a round trip proves the input was canonical base64,
    // in a fraction of the time a regular expression takes over megabytes.
    const decoded = natives.Buffer.from(base64, 'base64');
    if (decoded.toString('base64') !== base64) throw new SyntaxError('not base64');
    return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  }
  if (!BASE64.test(base64)) throw new SyntaxError('not base64');
  if (natives.fromBase64) return natives.fromBase64(base64);
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
