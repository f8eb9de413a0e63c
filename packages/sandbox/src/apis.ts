/**
 * The sandbox's two Web-standard APIs over one store, wired the same way in Node and in a page:
 * FHIR (behind fault injection) and admin (which sets the faults and resets everything).
 */
import { createAdminHandler, type PairingRegistry } from './admin.js';
import type { SandboxConfig } from './config.js';
import { InjectedFaults, NO_FAULTS, withFaults, type FaultSettings } from './faults.js';
import type { FhirContext } from './fhir/context.js';
import { createFhirHandler } from './fhir/handler.js';
import { sandboxNow, setSandboxNow } from './pairing-rules.js';
import type { SandboxStore } from './store/store.js';
import type { TokenAuthority } from './tokens.js';

export interface ApiOptions {
  store: SandboxStore;
  tokens: TokenAuthority;
  config: SandboxConfig;
  fhirBase: string;
  pairings: PairingRegistry;
  /** Erases and reseeds the data (faults are cleared here). */
  reset(): Promise<void>;
  reportError?: (error: unknown) => void;
}

export function createApis(options: ApiOptions) {
  const { store, tokens, config, pairings } = options;
  let faults: FaultSettings = NO_FAULTS;
  const fhirContext: FhirContext = {
    store,
    tokens,
    config,
    fhirBase: options.fhirBase,
    now: () => sandboxNow(store),
    reportError: options.reportError,
  };
  const injected = new InjectedFaults();
  const fhir = withFaults(createFhirHandler(fhirContext), () => faults, injected);
  const admin = createAdminHandler({
    store,
    tokens,
    config,
    fhir: fhirContext,
    pairings,
    faults: {
      get: () => faults,
      set(next) {
        faults = next;
        injected.clear();
      },
      injected,
    },
    async reset() {
      faults = NO_FAULTS;
      injected.clear();
      setSandboxNow(store, undefined);
      await options.reset();
    },
  });
  return { fhir, admin };
}
