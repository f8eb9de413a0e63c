/**
 * The formats MES takes, recognised by their first bytes as well as their media type: a file
 * labelled PDF that is not one is refused before it is sent (and by the sandbox, as MES would).
 */
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from '../fhir/systems.js';

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);

const SIGNATURES: Record<DocumentMediaType, (bytes: Uint8Array) => boolean> = {
  'application/pdf': (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/tiff': (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]),
  'text/rtf': (b) => startsWith(b, [0x7b, 0x5c, 0x72, 0x74, 0x66]),
  'text/plain': (b) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  },
};

/** Other names browsers and systems give the same formats. */
const ALIASES: Record<string, DocumentMediaType> = {
  'application/rtf': 'text/rtf',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/tif': 'image/tiff',
};

/** The accepted media type a declared one stands for, or undefined when MES does not take it. */
export function documentMediaType(declared: string): DocumentMediaType | undefined {
  const type = declared.split(';')[0].trim().toLowerCase();
  if (Object.hasOwn(ALIASES, type)) return ALIASES[type];
  return Object.hasOwn(DOCUMENT_MEDIA_TYPES, type) ? (type as DocumentMediaType) : undefined;
}

/** Whether the bytes are of that (accepted) media type. */
export function hasSignatureOf(type: DocumentMediaType, bytes: Uint8Array): boolean {
  return SIGNATURES[type](bytes);
}
