/**
 * One gateway instance in its own process, on the Redis store, as a portal runs several behind a
 * load balancer: `node --conditions=@mes-kit/source --import tsx test/helpers/gateway-instance.ts '<InstanceConfig as JSON>'`.
 * The host around it says who is logged in (the test portal's cookie) and resolves any document
 * ref to a letter of its own, so that every instance serves the same establishment.
 */
import { createServer } from 'node:http';
import { createGateway } from '../../packages/gateway/src/index.js';
import { toNodeListener } from '../../packages/gateway/src/node.js';
import { createRedisSessionStore } from '../../packages/gateway/src/redis.js';
import { pdfBlob } from './documents.js';
import { portalUserOf } from './gateway.js';

export interface InstanceConfig {
  port: number;
  /** The load balancer's origin: the portal's, as the browser sees it. */
  origin: string;
  issuer: string;
  fhirBase: string;
  client: { clientId: string; clientSecret: string };
  service: { oid: string; name: string };
  redisUrl: string;
  key: string;
  operationsPerUser?: number;
}

const config = JSON.parse(process.argv[2]) as InstanceConfig;
const sessions = createRedisSessionStore({ url: config.redisUrl, key: config.key });
const gateway = createGateway({
  mes: { issuer: config.issuer, fhirBase: config.fhirBase },
  client: config.client,
  service: config.service,
  origin: config.origin,
  identify: portalUserOf,
  documents: {
    resolve: (_request, ref) => ({ file: pdfBlob(ref), title: `Lettre ${ref}`, type: '11490-0' }),
  },
  sessions,
  limits: { operationsPerUser: config.operationsPerUser },
});
await sessions.ready;
// Its parent gone (its stdin closed), it goes too, rather than stay behind holding a port.
process.stdin.on('end', () => process.exit(0)).resume();
createServer(toNodeListener(gateway, { origin: config.origin })).listen(config.port, '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
