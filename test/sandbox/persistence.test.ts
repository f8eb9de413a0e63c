import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { documentBundle } from '../helpers/documents.js';
import {
  adminBundle,
  adminTokens,
  exchangeCode,
  fhirHeaders,
  runPairing,
  startSandbox,
  tokenRequest,
} from '../helpers/sandbox.js';

describe('sandbox persistence', () => {
  it('keeps documents, pairings and refresh tokens across a restart', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mes-sandbox-restart-'));
    try {
      const first = await startSandbox({ dataDir, port: 0 });
      let firstOpen = true;
      t.after(async () => {
        if (firstOpen) await first.close();
      });
      const run = await runPairing(first.url, {
        persona: 'camille',
        scope: 'openid offline_access DOC_ECRITURE',
        choose: 'accept-all',
      });
      const tokens = await exchangeCode(first.url, run);
      const { bundle, master } = documentBundle();
      const sent = await fetch(first.fhirBase, {
        method: 'POST',
        headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
        body: JSON.stringify(bundle),
      });
      assert.equal(sent.status, 200);
      const port = Number(new URL(first.url).port);
      await first.close();
      firstOpen = false;

      const second = await startSandbox({ dataDir, port });
      try {
        const docs = await adminBundle(second.url, 'camille', 'DocumentReference');
        assert.equal(docs.total, 14);
        assert.ok(docs.entry.some((e) => e.resource['masterIdentifier'].value === master));
        const refreshed = await tokenRequest(second.url, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
        });
        assert.equal(refreshed.status, 200, 'the refresh token outlived the restart');
        const retry = await fetch(second.fhirBase, {
          method: 'POST',
          headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
          body: JSON.stringify(documentBundle().bundle),
        });
        assert.equal(retry.status, 200, 'the access token issued before the restart is still accepted');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('--reset reseeds: what was sent is gone', async () => {
    const sandbox = await startSandbox();
    try {
      const tokens = await adminTokens(sandbox.url, 'elise', ['DOC_ECRITURE']);
      await fetch(sandbox.fhirBase, {
        method: 'POST',
        headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
        body: JSON.stringify(documentBundle({ ins: '295013306301828' }).bundle),
      });
      assert.equal((await adminBundle(sandbox.url, 'elise', 'DocumentReference')).total, 1);
      await sandbox.close();
      const again = await startSandbox({ dataDir: sandbox.dataDir, reset: true });
      assert.equal((await adminBundle(again.url, 'elise', 'DocumentReference')).total, 0);
      assert.equal((await adminBundle(again.url, 'camille', 'DocumentReference')).total, 13);
      await again.dispose();
    } catch (error) {
      await sandbox.dispose().catch(() => undefined);
      throw error;
    }
  });

  it('the command line serves the sandbox and prints its URLs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mes-sandbox-cli-'));
    const child = spawn(
      process.execPath,
      [
        '--conditions=@mes-kit/source',
        '--import',
        'tsx',
        'packages/sandbox/src/cli.ts',
        '--port',
        '0',
        '--data-dir',
        dataDir,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Données')) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
      });
      const url = /Mon espace santé \(bac à sable\) — (http:\/\/localhost:\d+)/.exec(output)?.[1];
      assert.ok(url, output);
      assert.match(output, /\/\.well-known\/openid-configuration/);
      assert.equal((await fetch(`${url}/fhir/metadata`)).status, 200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
