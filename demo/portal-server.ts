/**
 * The demo portal's own back end, as a hospital's would be: its patients log in to the portal, it
 * holds their documents, and it mounts one mes-kit gateway per brand — each brand a service of its
 * own in MES — that identifies the portal's user and resolves the documents the page names. The
 * vendors' back ends run beside it, each with its own gateway: those that import from MES keep what
 * the patient shares, those whose devices take measures give the gateway their readings.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocumentToSend, FoundDocument, MeasuresQuery } from '@mes-kit/core';
import { createGateway, type AuditEntry, type PortalUser } from '@mes-kit/gateway';
import { connectMiddleware } from '@mes-kit/gateway/node';
import type { Plugin } from 'vite';
import { pdfDocument } from '../packages/sandbox/src/seed/pdf.js';
import { AGENDA_SERVICES, agendaOf, changeAgenda } from './agenda-data.js';
import { BRANDS, MEASURE_VENDORS, VENDORS, type DemoService } from './brands.js';
import { MEASURE_SERVICES, chosenMeasures, measuresOf } from './measures-data.js';

export interface DemoPortalOptions {
  /** MES (the sandbox): its issuer; the FHIR base is `${issuer}/fhir`. */
  issuer: string;
  audit?: (entry: AuditEntry) => void;
}

/** One of the portal's documents: what the page may show about it, and what MES will receive. */
interface PortalDocument {
  ref: string;
  heading: string;
  subtitle: string;
  metadata: Omit<DocumentToSend, 'file'>;
  bytes: () => Uint8Array;
}

const fromDisk = (name: string) => () => readFileSync(new URL(`./public/documents/${name}`, import.meta.url));

/** The portal's accounts and the records its systems hold for each (fictitious). */
export const PORTAL_USERS: Record<string, { name: string; documents: PortalDocument[] }> = {
  camille: {
    name: 'Camille Martin',
    documents: [
      {
        ref: 'sejour-2026-11-09/lettre-de-liaison',
        heading: 'Lettre de liaison de sortie',
        subtitle: 'Chirurgie digestive — 12 novembre 2026',
        metadata: {
          title: 'Lettre de liaison de sortie — chirurgie digestive',
          type: '11490-0',
          date: '2026-11-12T16:00:00+01:00',
        },
        bytes: fromDisk('lettre-de-liaison.pdf'),
      },
      {
        ref: 'sejour-2026-11-09/bilan-biologique',
        heading: 'Compte rendu de biologie',
        subtitle: 'Laboratoire — 10 novembre 2026',
        metadata: {
          title: 'Compte rendu de biologie du 10 novembre 2026',
          type: '11502-2',
          date: '2026-11-10T11:30:00+01:00',
        },
        bytes: fromDisk('bilan-biologique.pdf'),
      },
    ],
  },
  nadia: {
    name: 'Nadia Haddad',
    documents: [
      {
        ref: 'consultation-2026-11-20/diabetologie',
        heading: 'Compte rendu de consultation',
        subtitle: 'Diabétologie — 20 novembre 2026',
        metadata: {
          title: 'Compte rendu de consultation de diabétologie',
          type: '11488-4',
          date: '2026-11-20T09:30:00+01:00',
        },
        bytes: () =>
          pdfDocument('Compte rendu de consultation de diabetologie', [
            'Patiente : Nadia Haddad (donnees fictives)',
            'Diabete de type 1 sous capteur de glucose.',
          ]),
      },
    ],
  },
};

const frNumber = (value: number, digits = 1) => value.toFixed(digits).replace('.', ',');
const frDate = (instant: string | Date) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' }).format(new Date(instant));
const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The reports a measure vendor writes from its user's readings: Pesée+'s six weeks in one page. */
function reportsOf(service: string, userId: string): PortalDocument[] {
  const series = measuresOf(service, userId);
  if (service !== 'balance' || series.length === 0) return [];
  const of = (kind: string) => series.find((one) => one.kind === kind)?.readings ?? [];
  const weights = of('weight');
  const pressures = of('blood-pressure');
  const rates = of('heart-rate');
  const temperatures = of('temperature');
  const first = String(weights[0].at);
  const last = String(weights[weights.length - 1].at);
  const lines = [
    `Patiente : ${PORTAL_USERS[userId]?.name ?? userId} (données fictives)`,
    `Période : du ${frDate(first)} au ${frDate(last)}`,
    '',
    `Poids : de ${frNumber(weights[0].value!)} kg à ${frNumber(weights[weights.length - 1].value!)} kg (${weights.length} pesées)`,
    `Tension artérielle : en moyenne ${Math.round(average(pressures.map((r) => r.systolic!)))}/${Math.round(
      average(pressures.map((r) => r.diastolic!)),
    )} mmHg (${pressures.length} mesures, matin et soir)`,
    `Fréquence cardiaque : en moyenne ${Math.round(average(rates.map((r) => r.value!)))} battements par minute`,
    `Température : un épisode de fièvre, jusqu'à ${frNumber(Math.max(...temperatures.map((r) => r.value!)))} °C`,
    '',
    'Bilan établi automatiquement par Pesée+ à partir des mesures de vos appareils.',
  ];
  const title = 'Bilan Pesée+ — six semaines de mesures';
  return [
    {
      ref: 'bilan-6-semaines',
      heading: 'Bilan de six semaines',
      subtitle: `Du ${frDate(first)} au ${frDate(last)} — PDF`,
      metadata: { title, type: '29274-8', date: last },
      bytes: () => pdfDocument(title, lines),
    },
  ];
}

/** A document a patient imported from MES into a vendor's service: its back end keeps it. */
interface ReceivedDocument {
  document: FoundDocument;
  name: string;
  bytes: Uint8Array;
  receivedAt: string;
}

/** What each vendor's back end received, per portal user (in memory: a demo). */
const RECEIVED = new Map<string, ReceivedDocument[]>();
const receivedBy = (service: string, userId: string) => {
  const key = `${service}:${userId}`;
  if (!RECEIVED.has(key)) RECEIVED.set(key, []);
  return RECEIVED.get(key)!;
};

const USER_COOKIE = 'portal_user';

/** The portal's session: who is logged in (a demo's cookie; a real portal has its own). */
function portalUserOf(cookieHeader: string | null | undefined): PortalUser | undefined {
  const id = /(?:^|;\s*)portal_user=([a-z]+)/.exec(cookieHeader ?? '')?.[1];
  const user = id ? PORTAL_USERS[id] : undefined;
  return id && user ? { id, displayName: user.name } : undefined;
}

function sendJson(res: ServerResponse, body: unknown) {
  res
    .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) break;
  }
  return new URLSearchParams(body);
}

/** Back to a page of this portal only. */
const backTo = (value: string | null) => (value && /^\/[\w./-]*$/.test(value) && !value.startsWith('//') ? value : '/');

/** The gateway's `documents.resolve`: the one of `documents` the page names by ref, if it is this user's. */
const resolveFrom = (documents: (user: PortalUser) => PortalDocument[]) => ({
  resolve(_request: Request, ref: string, user: PortalUser): DocumentToSend | undefined {
    const record = documents(user).find((candidate) => candidate.ref === ref);
    return (
      record && { ...record.metadata, file: new Blob([new Uint8Array(record.bytes())], { type: 'application/pdf' }) }
    );
  },
});

/** One of this user's records, if the ref names one. */
const recordOf = (user: PortalUser | undefined, ref: string) =>
  user && PORTAL_USERS[user.id]?.documents.find((candidate) => candidate.ref === ref);

/** The portal's own pages' API: log in and out, who is logged in and their records. */
function portalRoutes(req: IncomingMessage, res: ServerResponse, next: () => void) {
  const path = (req.url ?? '/').split('?')[0];
  const user = portalUserOf(req.headers.cookie);
  if ((path === '/portal/login' || path === '/portal/logout') && req.method === 'POST') {
    void formOf(req).then((form) => {
      const id = path === '/portal/login' ? (form.get('user') ?? '') : '';
      const cookie = PORTAL_USERS[id]
        ? `${USER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`
        : `${USER_COOKIE}=; Path=/; Max-Age=0`;
      res.writeHead(303, { location: backTo(form.get('back')), 'set-cookie': cookie }).end();
    });
    return;
  }
  if (path === '/portal/me' && req.method === 'GET') {
    const documents = user ? PORTAL_USERS[user.id].documents : [];
    return sendJson(res, {
      user: user ? { name: user.displayName } : null,
      users: Object.entries(PORTAL_USERS).map(([id, account]) => ({ id, name: account.name })),
      documents: documents.map(({ ref, heading, subtitle, metadata }) => ({
        ref,
        heading,
        subtitle,
        title: metadata.title,
      })),
    });
  }
  // A vendor's page shows what its back end received from MES, and opens it for a preview.
  const received = /^\/portal\/received\/([a-z]+)(?:\/(\d+))?$/.exec(path);
  if (received && req.method === 'GET' && VENDORS.some((vendor) => vendor.id === received[1])) {
    const list = user ? receivedBy(received[1], user.id) : [];
    if (received[2] === undefined) {
      return sendJson(
        res,
        list.map(({ document, name, bytes, receivedAt }, index) => ({
          index,
          title: document.title,
          name,
          size: bytes.length,
          contentType: document.contentType,
          category: document.category,
          date: document.date,
          author: document.author.name,
          receivedAt,
        })),
      );
    }
    const entry = list[Number(received[2])];
    if (!entry) return void res.writeHead(404).end();
    res
      .writeHead(200, {
        'content-type': entry.document.contentType,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // Shown in the vendor's own page (the preview), and nowhere else.
        'content-security-policy': "default-src 'none'; frame-ancestors 'self'",
      })
      .end(entry.bytes);
    return;
  }
  // The appointments this service's systems hold for the user; the demo's secretariat changes them.
  const agenda = /^\/portal\/agenda\/([a-z]+)(?:\/(move|cancel|reset))?$/.exec(path);
  if (agenda) {
    // A service without appointments (the teleconsultation) has no agenda to show.
    if (!AGENDA_SERVICES.has(agenda[1])) return void res.writeHead(404).end();
    if (!user) return void res.writeHead(401).end();
    if (agenda[2] === undefined && req.method === 'GET') return sendJson(res, agendaOf(agenda[1], user.id));
    // Only the portal's own scripts (a cross-site form cannot set this header).
    if (agenda[2] !== undefined && req.method === 'POST' && req.headers['x-demo-portal'] === '1') {
      const changed = changeAgenda(agenda[1], user.id, agenda[2] as 'move' | 'cancel' | 'reset');
      return void res.writeHead(changed ? 204 : 409).end();
    }
    return void res.writeHead(405).end();
  }
  // A measure vendor's page draws its own copy of the readings (from its back end, never from MES).
  const measures = /^\/portal\/measures\/([a-z]+)$/.exec(path);
  if (measures && req.method === 'GET') {
    if (!MEASURE_SERVICES.has(measures[1])) return void res.writeHead(404).end();
    if (!user) return void res.writeHead(401).end();
    return sendJson(res, measuresOf(measures[1], user.id));
  }
  // And the reports it writes from them, which its gateway sends to MES by ref.
  const reports = /^\/portal\/reports\/([a-z]+)(?:\/([\w.-]+))?$/.exec(path);
  if (reports && req.method === 'GET') {
    if (!user) return void res.writeHead(401).end();
    const list = reportsOf(reports[1], user.id);
    if (reports[2] === undefined) {
      return sendJson(
        res,
        list.map(({ ref, heading, subtitle, metadata }) => ({ ref, heading, subtitle, title: metadata.title })),
      );
    }
    const report = list.find((candidate) => candidate.ref === reports[2]);
    if (!report) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' }).end(report.bytes());
    return;
  }
  if (path.startsWith('/portal/documents/') && req.method === 'GET') {
    const record = recordOf(user, decodeURIComponent(path.slice('/portal/documents/'.length)));
    if (!record) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' }).end(record.bytes());
    return;
  }
  next();
}

export function demoPortal(options: DemoPortalOptions): Plugin {
  return {
    name: 'mes-kit-demo-portal',
    configureServer(server) {
      server.middlewares.use(portalRoutes);
      const services: (DemoService & { serviceName: string; role: 'portal' | 'import' | 'measures' })[] = [
        ...BRANDS.map((brand) => ({
          ...brand,
          serviceName: `${brand.name} — portail patient`,
          role: 'portal' as const,
        })),
        ...VENDORS.map((vendor) => ({ ...vendor, role: 'import' as const })),
        ...MEASURE_VENDORS.map((vendor) => ({ ...vendor, role: 'measures' as const })),
      ];
      for (const service of services) {
        let handle: ReturnType<typeof connectMiddleware> | undefined;
        server.middlewares.use((req, res, next) => {
          // The portal's origin is known once the server listens (its port may be chosen then).
          if (!handle) {
            const address = server.httpServer?.address();
            const port = typeof address === 'object' && address ? address.port : server.config.server.port;
            const origin = `http://localhost:${port}`;
            const gateway = createGateway({
              mes: { issuer: options.issuer, fhirBase: `${options.issuer}/fhir` },
              client: { clientId: service.clientId, clientSecret: `${service.clientId}-secret` },
              service: { oid: service.serviceOid, name: service.serviceName },
              origin,
              basePath: service.gateway,
              identify: (request) => portalUserOf(request.headers.get('cookie')),
              // The hospital's brands send what they hold; the import vendors keep what the patient
              // imports; the measure vendors send the reports they write.
              documents:
                service.role === 'import'
                  ? {
                      async receive(_request, file, document, user) {
                        const list = receivedBy(service.id, user.id);
                        const entry = {
                          document,
                          name: file.name,
                          bytes: new Uint8Array(await file.arrayBuffer()),
                          receivedAt: new Date().toISOString(),
                        };
                        // The same document shared again replaces the copy the practitioner has.
                        const index = list.findIndex((kept) => kept.document.id === document.id);
                        if (index >= 0) list[index] = entry;
                        else list.push(entry);
                        return { index: index >= 0 ? index : list.length - 1 };
                      },
                      // The picker's preview shows the bytes in the patient's own browser.
                      deliverToPage: true,
                    }
                  : resolveFrom((user) =>
                      service.role === 'portal'
                        ? (PORTAL_USERS[user.id]?.documents ?? [])
                        : reportsOf(service.id, user.id),
                    ),
              ...(AGENDA_SERVICES.has(service.id) && {
                agenda: { list: (_request: Request, user: PortalUser) => agendaOf(service.id, user.id) },
              }),
              ...(MEASURE_SERVICES.has(service.id) && {
                measures: {
                  list: (_request: Request, query: MeasuresQuery, user: PortalUser) =>
                    chosenMeasures(measuresOf(service.id, user.id), query),
                },
              }),
              uploads: service.role === 'portal',
              audit: options.audit,
            });
            handle = connectMiddleware(gateway, { origin, basePath: service.gateway });
          }
          handle(req, res, next);
        });
      }
    },
  };
}
