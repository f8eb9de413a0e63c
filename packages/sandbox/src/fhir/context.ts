import type { SandboxConfig } from '../config.js';
import type { SandboxStore } from '../store/store.js';
import type { TokenAuthority } from '../tokens.js';

/** Everything the FHIR API needs, injected, so that it runs over HTTP in Node and inside a page. */
export interface FhirContext {
  store: SandboxStore;
  tokens: TokenAuthority;
  config: SandboxConfig;
  /** Absolute base of the FHIR API, e.g. `http://localhost:8787/fhir`. */
  fhirBase: string;
  now: () => Date;
  /** Told of unexpected failures (the answer is then a plain 500). */
  reportError?: (error: unknown) => void;
}
