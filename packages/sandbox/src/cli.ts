/**
 * `npm run sandbox [-- --reset] [--port N] [--data-dir DIR] [--config FILE]`: serves the local
 * Mon espace santé until interrupted.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSandbox, PERSONAS, type SandboxOptions } from './index.js';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run sandbox -- [--reset] [--port 8787] [--data-dir .mes-sandbox] [--config sandbox.json]
  --reset      wipe the data and seed the personas again
  --config     a JSON file overriding the defaults (services, redirect URIs, finalités, ID token header…)`);
  process.exit(0);
}

const options: SandboxOptions = values.config
  ? (JSON.parse(readFileSync(values.config, 'utf8')) as SandboxOptions)
  : {};
if (values.port !== undefined) options.port = Number(values.port);
if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
options.reset = values.reset;

try {
  const sandbox = await createSandbox(options);
  console.log(`Mon espace santé (bac à sable) — ${sandbox.url}
  Page patient           ${sandbox.url}/
  OpenID Connect         ${sandbox.url}/.well-known/openid-configuration
  API FHIR               ${sandbox.fhirBase}  (CapabilityStatement: ${sandbox.fhirBase}/metadata)
  Admin (loopback)       ${sandbox.url}/sandbox/
  Personas               ${PERSONAS.map((p) => `${p.key} (${p.idPe})`).join(', ')}
  Clients                ${sandbox.config.services.map((s) => s.clientId).join(', ')}
  Données                ${sandbox.config.dataDir}${options.reset ? ' (réinitialisées)' : ''}`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${options.port ?? 8787} is already in use: stop the other process or pass --port.`
      : error,
  );
  process.exit(1);
}
