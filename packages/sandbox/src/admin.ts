/**
 * The admin API under `/sandbox`, for tests and demos (loopback only, never in production code
 * paths): see what a patient's MES holds, reset, inject faults, end pairings, mint test tokens.
 */
import { bytesToBase64, type ServiceAuthorizations } from '@mes-kit/core';
import * as z from 'zod/mini';
import { serviceByClientId, type SandboxConfig } from './config.js';
import { FaultSettingsSchema, type FaultSettings, type InjectedFaults } from './faults.js';
import { present } from './fhir/documents/common.js';
import type { FhirContext } from './fhir/context.js';
import { sandboxNow, setSandboxNow } from './pairing-rules.js';
import { PERSONAS, personaByKey } from './personas.js';
import { generateDocuments } from './seed/seed.js';
import type { Pairing, SandboxStore } from './store/store.js';
import type { TokenAuthority } from './tokens.js';

/** Pairings as MES manages them: created by consent, changed and ended by the patient. */
export interface PairingRegistry {
  /** A pairing with exactly these finalités, as if the patient had just consented. */
  create(persona: string, idPe: string, clientId: string, finalities: string[]): Promise<Pairing>;
  /** The patient switches finalités on or off in « Services synchronisés ». */
  update(pairing: Pairing, finalities: string[]): Promise<Pairing>;
  /** The patient approves the pairing again (after a change of finalités or coming of age). */
  approveAgain(pairing: Pairing): Promise<Pairing>;
  /** « Désynchroniser »: every token of the pairing stops working at once. */
  revoke(pairing: Pairing): Promise<void>;
}

export interface AdminDeps {
  store: SandboxStore;
  tokens: TokenAuthority;
  config: SandboxConfig;
  fhir: FhirContext;
  pairings: PairingRegistry;
  faults: { get(): FaultSettings; set(settings: FaultSettings): void; injected: InjectedFaults };
  reset(): Promise<void>;
}

const RESOURCE_TYPES = ['DocumentReference', 'List', 'Binary', 'Observation', 'Device', 'Appointment'] as const;

const TokenRequestSchema = z.strictObject({
  persona: z.string(),
  clientId: z.string(),
  finalities: z.array(z.string()),
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
const problem = (status: number, error: string) => json({ error }, status);

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

const GenerateSchema = z.object({
  count: z.optional(z.int().check(z.minimum(1), z.maximum(20_000))),
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
});

export function createAdminHandler(deps: AdminDeps) {
  const { store, config } = deps;

  function patientBundle(personaKey: string, type: string): Response {
    if (!personaByKey(personaKey))
      return problem(404, `Unknown persona ${personaKey}; use one of ${PERSONAS.map((p) => p.key).join(', ')}.`);
    if (!(RESOURCE_TYPES as readonly string[]).includes(type)) {
      return problem(404, `Unknown resource type ${type}; use one of ${RESOURCE_TYPES.join(', ')}.`);
    }
    const resources =
      type === 'Binary'
        ? store.listBinaries(personaKey).map((binary) => ({
            resourceType: 'Binary',
            id: binary.id,
            contentType: binary.contentType,
            data: bytesToBase64(binary.data),
          }))
        : store.list(personaKey, type).map((entry) => present(entry, deps.fhir));
    return json({
      resourceType: 'Bundle',
      type: 'searchset',
      total: resources.length,
      entry: resources.map((resource) => ({
        fullUrl: `${deps.fhir.fhirBase}/${type}/${String(resource.id)}`,
        resource,
      })),
    });
  }

  /** The catalogue as MES models it; with a persona, that patient's consent to each finalité. */
  function services(personaKey: string | null): Response {
    if (personaKey !== null && !personaByKey(personaKey)) return problem(404, `Unknown persona ${personaKey}.`);
    const entries = config.services.map((service): ServiceAuthorizations => {
      const pairing = personaKey === null ? undefined : store.findPairing(personaKey, service.clientId);
      return {
        service: {
          oid: service.oid,
          name: service.name,
          editor: { name: service.editor },
          hasEchangeDonnees: true,
          status: 'EN_LIGNE',
          cguUrl: service.cguUrl,
          ...(personaKey !== null && {
            synchronization: {
              isSynchronized: !!pairing,
              oid: service.oid,
              isAcknowledged: !!pairing,
              reapprovalLimitDate: null,
            },
          }),
        },
        finalities: config.finalities
          .filter((f) => service.finalities.includes(f.codeFinalite))
          .map((f, i) => ({ id: i + 1, ...f, consenti: pairing?.finalities.includes(f.codeFinalite) ?? false })),
      };
    });
    return json(entries);
  }

  async function mintTokens(request: Request): Promise<Response> {
    const parsed = TokenRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return problem(400, 'Body must be { "persona", "clientId", "finalities": [...] }.');
    const { persona: key, clientId, finalities } = parsed.data;
    const persona = personaByKey(key);
    const service = serviceByClientId(config, clientId);
    if (!persona) return problem(400, `Unknown persona ${key}.`);
    if (!service) return problem(400, `Unknown clientId ${clientId}.`);
    const unregistered = finalities.filter((code) => !service.finalities.includes(code));
    if (unregistered.length > 0) return problem(400, `${clientId} has not registered: ${unregistered.join(', ')}.`);
    const pairing = await deps.pairings.create(persona.key, persona.idPe, clientId, finalities);
    const tokens = await deps.tokens.mint({
      idPe: persona.idPe,
      clientId,
      serviceOid: service.oid,
      pairingId: pairing.id,
      finalities,
      ttlSeconds: config.accessTokenTtlSeconds,
    });
    return json(tokens, 201);
  }

  /** More documents for a persona: `{ "count": 1..20000, "title"?: "…" }` (default one, titles varied). */
  async function addDocuments(key: string, request: Request): Promise<Response> {
    if (!personaByKey(key)) return problem(404, `Unknown persona ${key}.`);
    const text = await request.text();
    let body: unknown = {};
    try {
      if (text.trim() !== '') body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const parsed = GenerateSchema.safeParse(body);
    if (!parsed.success)
      return problem(400, 'Body must be { "count": 1..20000, "title"?: "<at most 500 characters>" }.');
    const ids = await generateDocuments(store, key, parsed.data.count ?? 1, {
      title: parsed.data.title,
      now: sandboxNow(store).getTime(),
    });
    return json({ ids }, 201);
  }

  return async function handleAdmin(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let segments: string[];
    try {
      segments = url.pathname.split('/').map(decodeURIComponent);
    } catch {
      return problem(400, 'The path is not valid percent-encoding.');
    }
    const [, , resource, first, second] = segments;
    const { method } = request;
    if (resource === 'patients' && method === 'GET' && first && second) return patientBundle(first, second);
    if (resource === 'patients' && method === 'POST' && first && second === 'documents' && !segments[5])
      return addDocuments(first, request);
    if (resource === 'reset' && method === 'POST' && !first) {
      await deps.reset();
      return json({ reset: true });
    }
    if (resource === 'faults' && first === 'injected' && !second && method === 'GET') return json(deps.faults.injected);
    if (resource === 'faults' && !first) {
      if (method === 'GET') return json(deps.faults.get());
      if (method === 'PUT') {
        const parsed = FaultSettingsSchema.safeParse(await readJson(request));
        if (!parsed.success) {
          return problem(
            400,
            'Body must be { "errorRate": 0..1, "latencyMs": ms, "statuses": [4xx|5xx], "dropResponseRate": 0..1 }.',
          );
        }
        deps.faults.set(parsed.data);
        return json(parsed.data);
      }
    }
    if (resource === 'clock' && !first) {
      if (method === 'GET') return json({ now: sandboxNow(store).toISOString() });
      if (method === 'PUT') {
        const body = (await readJson(request)) as { now?: unknown } | undefined;
        const now = typeof body?.now === 'string' ? new Date(body.now) : undefined;
        if (!now || Number.isNaN(now.getTime())) return problem(400, 'Body must be { "now": "<ISO 8601 date-time>" }.');
        setSandboxNow(store, now);
        return json({ now: sandboxNow(store).toISOString() });
      }
      if (method === 'DELETE') {
        setSandboxNow(store, undefined);
        return new Response(null, { status: 204 });
      }
    }
    if (resource === 'pairings' && method === 'POST' && first && second && segments[5] === 'reapproval') {
      const pairing = store.findPairing(first, second);
      if (!pairing) return problem(404, `${first} is not paired with ${second}.`);
      store.savePairing({ ...pairing, reapprovalRequired: true });
      return new Response(null, { status: 204 });
    }
    if (resource === 'pairings') {
      if (method === 'GET' && !first) return json(store.listPairings());
      if (method === 'DELETE' && first && second) {
        const pairing = store.findPairing(first, second);
        if (!pairing) return problem(404, `${first} is not paired with ${second}.`);
        await deps.pairings.revoke(pairing);
        return new Response(null, { status: 204 });
      }
    }
    if (resource === 'tokens' && method === 'POST' && !first) return mintTokens(request);
    if (resource === 'services' && method === 'GET' && !first) return services(url.searchParams.get('persona'));
    return problem(404, `${method} ${url.pathname} is not part of the admin API.`);
  };
}
