/** ITI-65 bundles for tests, built from the shared fixture so they stay PDSm-shaped. */
import { createHash, randomUUID } from 'node:crypto';
import { fixture } from './sandbox.js';

export const FIXTURE_BUNDLE = 'documents/iti65-provide-document-bundle-snr.json';

/** A real, minimal PDF whose bytes differ by `label`. */
export function pdfBytes(label: string = randomUUID()): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

/** The same PDF as a file a page would send. */
export const pdfBlob = (label?: string) => new Blob([new Uint8Array(pdfBytes(label))], { type: 'application/pdf' });

export const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('base64');

export interface BundleOptions {
  bytes?: Buffer;
  contentType?: string;
  masterIdentifier?: string;
  /** Replaces the contained Patient's INS, e.g. another persona's or an unknown one. */
  ins?: string;
  ifNoneExist?: boolean;
  size?: number;
  hash?: string;
}

/** The fixture bundle with its document, identifiers and patient swapped as asked. */
export function documentBundle(options: BundleOptions = {}) {
  const bundle = fixture<any>(FIXTURE_BUNDLE);
  const bytes = options.bytes ?? pdfBytes();
  const contentType = options.contentType ?? 'application/pdf';
  const [list, doc, binary] = bundle.entry;
  const master =
    options.masterIdentifier ?? `urn:oid:1.2.250.1.999.42.2.${Date.now()}.${Math.floor(Math.random() * 1e9)}`;
  doc.resource.masterIdentifier.value = master;
  list.resource.identifier[0].value = `${master}.ss`;
  const attachment = doc.resource.content[0].attachment;
  attachment.contentType = contentType;
  attachment.size = options.size ?? bytes.length;
  attachment.hash = options.hash ?? sha1(bytes);
  binary.resource.contentType = contentType;
  binary.resource.data = bytes.toString('base64');
  if (options.ins) {
    for (const resource of [list.resource, doc.resource]) resource.contained[0].identifier[0].value = options.ins;
  }
  if (options.ifNoneExist) doc.request.ifNoneExist = `identifier=urn:ietf:rfc:3986|${master}`;
  return { bundle, master, bytes };
}
