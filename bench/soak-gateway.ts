/**
 * The soak's gateway as a process of its own, so that it can be killed (SIGKILL) and started again
 * on the same port. Its tokens live in Redis, so the portal users stay paired across the restart;
 * its documents are made from their ref, the same on every start.
 *
 * Run by bench/soak.ts with `SOAK_GATEWAY={ port, issuer, fhirBase, service, redisUrl, key }` in the
 * environment; prints `listening` once it serves.
 */
import { createServer } from 'node:http';
import type { DocumentToSend } from '@mes-kit/core';
import { createGateway } from '../packages/gateway/src/index.js';
import { createRedisSessionStore } from '../packages/gateway/src/redis.js';
import { toNodeListener } from '../packages/gateway/src/node.js';
import { portalUserOf } from '../test/helpers/gateway.js';
import type { ServiceDefinition } from '../packages/sandbox/src/index.js';
import { soakDocument } from './soak-documents.js';

export interface SoakGatewaySettings {
  port: number;
  issuer: string;
  fhirBase: string;
  service: ServiceDefinition;
  redisUrl: string;
  key: string;
}

const settings = JSON.parse(process.env['SOAK_GATEWAY'] ?? 'null') as SoakGatewaySettings | null;
if (settings) {
  const origin = `http://localhost:${settings.port}`;
  const sessions = createRedisSessionStore({ url: settings.redisUrl, key: settings.key });
  await sessions.ready;
  const { service } = settings;
  const gateway = createGateway({
    mes: { issuer: settings.issuer, fhirBase: settings.fhirBase },
    client: { clientId: service.clientId, clientSecret: service.clientSecret! },
    service: { oid: service.oid, name: service.name },
    origin,
    identify: portalUserOf,
    documents: { resolve: (_request, ref, user): DocumentToSend => soakDocument(user.id, ref).document },
    sessions,
  });
  const server = createServer(toNodeListener(gateway, { origin }));
  // Its parent gone (its stdin closed), it goes too, rather than stay behind holding a port.
  process.stdin.on('end', () => process.exit(0)).resume();
  server.listen(settings.port, '127.0.0.1', () => console.log('listening'));
}
