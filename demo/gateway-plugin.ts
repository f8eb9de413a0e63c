/**
 * Mounts the mes-kit gateway at `/mes` in the demo's Vite server, as a portal's back end would,
 * paired with the sandbox (or any MES) as the confidential client `mes-kit-demo`.
 */
import { createGateway, type Gateway, type GatewayOptions } from '@mes-kit/gateway';
import { connectMiddleware } from '@mes-kit/gateway/node';
import type { Plugin } from 'vite';

export interface DemoGatewayOptions {
  /** MES (the sandbox): its issuer; the FHIR base is `${issuer}/fhir`. */
  issuer: string;
  clientId?: string;
  clientSecret?: string;
  service?: GatewayOptions['service'];
  audit?: GatewayOptions['audit'];
}

export function mesGateway(options: DemoGatewayOptions): Plugin {
  return {
    name: 'mes-kit-gateway',
    configureServer(server) {
      let gateway: Gateway | undefined;
      let handle: ReturnType<typeof connectMiddleware> | undefined;
      server.middlewares.use((req, res, next) => {
        // The portal's origin is known once the server listens (its port may be chosen then).
        if (!handle) {
          const address = server.httpServer?.address();
          const port = typeof address === 'object' && address ? address.port : server.config.server.port;
          const origin = `http://localhost:${port}`;
          gateway = createGateway({
            mes: { issuer: options.issuer, fhirBase: `${options.issuer}/fhir` },
            client: {
              clientId: options.clientId ?? 'mes-kit-demo',
              clientSecret: options.clientSecret ?? 'mes-kit-demo-secret',
            },
            service: options.service ?? { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
            origin,
            audit: options.audit,
          });
          handle = connectMiddleware(gateway, { origin });
        }
        handle(req, res, next);
      });
    },
  };
}
