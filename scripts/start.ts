/**
 * `npm start`: the sandbox MES on :8787 and the demo portal (with its gateway at /mes) on :5173,
 * seeded, until interrupted.
 */
import { createServer } from 'vite';
import { createSandbox } from '../packages/sandbox/src/index.js';
import { demoConfig } from '../vite.config.js';

async function main() {
  const sandbox = await createSandbox({ reset: process.argv.includes('--reset') });
  const demo = await createServer({ configFile: false, ...demoConfig({ portal: { issuer: sandbox.url } }) });
  await demo.listen();
  const portal = demo.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
  console.log(`mes-kit is running.

  Portail de démonstration   ${portal}            (Hôpital Lumière)
                             ${portal}tilleuls.html   (Clinique des Tilleuls, même code, autre marque)
                             ${portal}direct.html     (mode direct, sans passerelle)
  Importer depuis MES        ${portal}teleconsultation.html   (téléconsultation : partager des documents)
                             ${portal}pharmacie.html          (pharmacie : joindre son ordonnance)
  Envoyer des mesures        ${portal}balance.html            (balance et tensiomètre connectés, Camille)
                             ${portal}glycemie.html           (capteur de glucose : 14 jours, Nadia)
  Passerelle (gateway)       ${portal}mes/session
  Mon espace santé (bac à sable)
    Page patient             ${sandbox.url}/
    OpenID Connect           ${sandbox.url}/.well-known/openid-configuration
    API FHIR                 ${sandbox.fhirBase}
    Admin (loopback)         ${sandbox.url}/sandbox/
  Données                    ${sandbox.config.dataDir}/

Open the portal and log in to it as Camille Martin; click « Envoyer vers Mon espace santé », log in
as Camille Martin in the Mon espace santé window and accept; then open the patient page to see the
document arrive. On the teleconsultation page, « Importer depuis Mon espace santé » brings documents
from MES to the vendor's back end; on the glucose sensor's page (log in as Nadia Haddad), « Envoyer
mes mesures vers Mon espace santé » files her 1 344 readings, the curve filling as they arrive.
Ctrl+C stops everything.`);
  const stop = async () => {
    await demo.close();
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE' || /already in use/i.test(String(error))
      ? `A port mes-kit needs (8787 or 5173) is already in use: stop the other process (another npm start?) and try again.`
      : error,
  );
  process.exit(1);
});
