/**
 * The sandbox inside a page, with no server: memory store, the same FHIR handler and admin API,
 * tokens minted locally. Storybook and element tests talk to it through an in-process transport.
 */
import type { PairingRegistry } from './admin.js';
import { createApis } from './apis.js';
import { resolveConfig, serviceByClientId, type SandboxConfig } from './config.js';
import { approve, sandboxNow } from './pairing-rules.js';
import { personaByKey } from './personas.js';
import { seed } from './seed/seed.js';
import { MemoryStore } from './store/memory-store.js';
import { generateSigningKey, TokenAuthority, type MintedTokens } from './tokens.js';

export interface InPageSandbox {
  /** A `fetch` that answers `${origin}/fhir/…` and `${origin}/sandbox/…` without any network. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  fhirBase: string;
  /** Tokens as if `persona` had paired `clientId` with these finalités. */
  pair(persona: string, finalities: string[], clientId?: string): Promise<MintedTokens>;
  store: MemoryStore;
}

export async function createInPageSandbox(
  options: Partial<SandboxConfig> & { origin?: string; seeded?: boolean } = {},
): Promise<InPageSandbox> {
  const { origin = 'http://localhost:8787', seeded = true, ...overrides } = options;
  const config = resolveConfig(overrides);
  const store = new MemoryStore();
  const tokens = new TokenAuthority(origin, await generateSigningKey());
  if (seeded) await seed(store);

  const service = (clientId: string) => serviceByClientId(config, clientId)!;
  const pairings: PairingRegistry = {
    async create(persona, _idPe, clientId, finalities) {
      const previous = store.findPairing(persona, clientId);
      if (previous) store.deletePairing(previous.id);
      const now = sandboxNow(store);
      const pairing = approve(
        {
          id: crypto.randomUUID(),
          persona,
          clientId,
          finalities,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        },
        service(clientId),
        now,
      );
      store.savePairing(pairing);
      return pairing;
    },
    async update(pairing, finalities) {
      const updated = { ...pairing, finalities, updatedAt: sandboxNow(store).toISOString() };
      store.savePairing(updated);
      return updated;
    },
    async approveAgain(pairing) {
      const approved = approve(pairing, service(pairing.clientId), sandboxNow(store));
      store.savePairing(approved);
      return approved;
    },
    async revoke(pairing) {
      store.deletePairing(pairing.id);
    },
  };
  const fhirBase = `${origin}/fhir`;
  const { fhir, admin } = createApis({
    store,
    tokens,
    config,
    fhirBase,
    pairings,
    async reset() {
      store.clear();
      await seed(store);
    },
  });

  async function mint(persona: string, finalities: string[], clientId = config.services[0].clientId) {
    const response = await admin(
      new Request(`${origin}/sandbox/tokens`, {
        method: 'POST',
        body: JSON.stringify({ persona, clientId, finalities }),
      }),
    );
    if (!response.ok)
      throw new Error(`cannot pair ${personaByKey(persona) ? persona : 'unknown persona'}: ${await response.text()}`);
    return (await response.json()) as MintedTokens;
  }

  return {
    fhirBase,
    store,
    pair: mint,
    async fetch(input, init) {
      const request = new Request(input, init);
      const { pathname } = new URL(request.url);
      if (pathname === '/fhir' || pathname.startsWith('/fhir/')) return fhir(request);
      if (pathname.startsWith('/sandbox/')) return admin(request);
      return new Response('Not found', { status: 404 });
    },
  };
}
