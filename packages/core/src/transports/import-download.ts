/**
 * An import the gateway delivered to the page: its answer names a one-time download, which is
 * fetched at once and handed on as a `File` with the document's metadata.
 */
import { gatewayError } from './operation-http.js';

interface Download {
  download: string;
  name: string;
  document: { contentType: string };
}

/** The gateway's one-time download path for an import delivered to the page. */
const DOWNLOAD_PATH = /^imports\/[\w-]{20,100}$/;

const hasDownload = (result: unknown): result is Download =>
  typeof result === 'object' &&
  result !== null &&
  typeof (result as Download).download === 'string' &&
  DOWNLOAD_PATH.test((result as Download).download) &&
  typeof (result as Download).name === 'string' &&
  typeof (result as Download).document?.contentType === 'string';

/** The result, with its `file` when the gateway holds the bytes for the page. */
export async function withDownload(result: unknown, get: (path: string) => Promise<Response>): Promise<unknown> {
  if (!hasDownload(result)) return result;
  const response = await get(result.download);
  // The gateway refuses as it refuses operations: an NDJSON error line.
  if (!response.ok) throw await gatewayError(response);
  const file = new File([await response.blob()], result.name, { type: result.document.contentType });
  return { ...result, file };
}
