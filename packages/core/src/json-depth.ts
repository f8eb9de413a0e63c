/**
 * JSON nesting counted as the bytes arrive, brackets inside strings ignored: linear, so that a body
 * is refused for its depth before `JSON.parse` (and what later walks the value recursively) runs.
 * UTF-8 never puts `"`, `\`, brackets or braces inside a multi-byte character, so bytes will do.
 */
export function nestingScanner(max: number): (bytes: Uint8Array) => boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Whether what was scanned so far is nested deeper than `max`. */
  return (bytes) => {
    for (const byte of bytes) {
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === 0x5c) escaped = true;
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) inString = true;
      else if (byte === 0x5b || byte === 0x7b) {
        if (++depth > max) return true;
      } else if (byte === 0x5d || byte === 0x7d) depth--;
    }
    return false;
  };
}
