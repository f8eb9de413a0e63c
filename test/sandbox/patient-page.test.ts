import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildProvideDocumentBundle, bytesToBase64, sha1Base64 } from '@mes-kit/core';
import { documentBundle, pdfBytes } from '../helpers/documents.js';
import { Browser, adminTokens, fhirHeaders, startSandbox, type TestSandbox } from '../helpers/sandbox.js';

describe('sandbox patient page', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  async function loggedIn(persona: string) {
    const browser = new Browser();
    const { response } = await browser.postForm(`${sandbox.url}/login`, { persona }, sandbox.url);
    return { browser, page: await response.text() };
  }

  /** A service that writes documents for the persona, each dated as given; `now` is when MES receives them. */
  async function writerFor(persona: string, idPe: string, now: string) {
    const tokens = await adminTokens(sandbox.url, persona, ['DOC_ECRITURE']);
    return async (title: string, date: string) => {
      const bytes = new Uint8Array(pdfBytes(title));
      const bundle = buildProvideDocumentBundle({
        data: bytesToBase64(bytes),
        size: bytes.length,
        hash: await sha1Base64(bytes),
        contentType: 'application/pdf',
        title,
        type: '11490-0',
        date,
        confidentiality: 'N',
        author: 'service',
        masterIdentifier: `urn:uuid:${crypto.randomUUID()}`,
        idPe,
        service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
        now,
      });
      const sent = await fetch(sandbox.fhirBase, {
        method: 'POST',
        headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
        body: JSON.stringify(bundle),
      });
      assert.equal(sent.status, 200, 'valid FHIR: MES stores it');
    };
  }

  it('offers the four personas, under a CSP that allows no script', async () => {
    const response = await fetch(`${sandbox.url}/`);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const page = await response.text();
    for (const name of ['Camille Martin', 'Nadia Haddad', 'Louis Martin', 'Élise Petit'])
      assert.match(page, new RegExp(name));
    assert.doesNotMatch(page, /<script/);
  });

  it("shows Camille's documents, appointments and measures", async () => {
    const { page } = await loggedIn('camille');
    assert.match(page, /Mon espace santé de Camille/);
    assert.match(page, /Compte rendu de passage aux urgences/);
    assert.match(page, /Radiographie thoracique \(image\)/);
    assert.match(page, /Consultation de suivi/);
    assert.match(page, /Poids corporel/);
    assert.match(page, /Pression artérielle/);
    assert.equal(page.match(/href="\/documents\//g)?.length, 13);
  });

  it('names who filed each document: the service, or the patient for a file of their own', async () => {
    const tokens = await adminTokens(sandbox.url, 'louis', ['DOC_ECRITURE']);
    for (const author of ['service', 'patient'] as const) {
      const bytes = new Uint8Array(pdfBytes(author));
      const bundle = buildProvideDocumentBundle({
        data: bytesToBase64(bytes),
        size: bytes.length,
        hash: await sha1Base64(bytes),
        contentType: 'application/pdf',
        title: `Déposé par : ${author}`,
        type: author === 'patient' ? 'DOCPAT02' : '11490-0',
        date: '2026-11-12T16:00:00+01:00',
        confidentiality: 'N',
        author,
        masterIdentifier: `urn:uuid:${crypto.randomUUID()}`,
        idPe: 'patient-externe-id-4',
        service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
        now: new Date().toISOString(),
      });
      const sent = await fetch(sandbox.fhirBase, {
        method: 'POST',
        headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
        body: JSON.stringify(bundle),
      });
      assert.equal(sent.status, 200);
    }
    const { page } = await loggedIn('louis');
    const entryOf = (title: string) => new RegExp(`<h3>${title}</h3>[\\s\\S]*?</li>`).exec(page)?.[0] ?? '';
    const authorIn = (entry: string) => /<span class="document-author">([^<]*)<\/span>/.exec(entry)?.[1];
    assert.equal(authorIn(entryOf('Déposé par : service')), 'Hôpital Lumière — portail patient');
    assert.equal(authorIn(entryOf('Déposé par : patient')), 'Louis Martin (vous)');
  });

  it('dates a document by the act it records, newest first, and says apart when it reached MES', async () => {
    const sendWritten = await writerFor('nadia', 'patient-externe-id-3', '2026-11-20T09:00:00+01:00');
    // Sent in this order, on one day, about acts years apart.
    await sendWritten('Lettre de 2019', '2019-06-03T10:00:00+02:00');
    await sendWritten('Lettre de 2021', '2021-02-15T10:00:00+01:00');
    const { page } = await loggedIn('nadia');
    const text = page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, /Lettre de 2021 .*? Document du 15 févr\. 2021 , reçu le 20 nov\. 2026/);
    assert.match(text, /Lettre de 2019 .*? Document du 3 juin 2019 , reçu le 20 nov\. 2026/);
    assert.ok(page.indexOf('Lettre de 2021') < page.indexOf('Lettre de 2019'), 'the newer act first');
  });

  it('lists each synchronised service once, with what it may do and what it sent', async () => {
    const tokens = await adminTokens(sandbox.url, 'louis', ['DOC_ECRITURE', 'AGENDA_ECRITURE'], 'mes-kit-tilleuls');
    const bytes = new Uint8Array(pdfBytes('tilleuls'));
    const bundle = buildProvideDocumentBundle({
      data: bytesToBase64(bytes),
      size: bytes.length,
      hash: await sha1Base64(bytes),
      contentType: 'application/pdf',
      title: 'Envoyé par les Tilleuls',
      type: '11490-0',
      date: '2026-11-12T16:00:00+01:00',
      confidentiality: 'N',
      author: 'service',
      masterIdentifier: `urn:uuid:${crypto.randomUUID()}`,
      idPe: 'patient-externe-id-4',
      service: { oid: '1.2.250.1.999.42.3', name: 'Clinique des Tilleuls — portail patient' },
      now: new Date().toISOString(),
    });
    const sent = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(bundle),
    });
    assert.equal(sent.status, 200);
    const { page } = await loggedIn('louis');
    const entries = page.match(/<li class="service">[\s\S]*?<\/dl>/g) ?? [];
    const summaryOf = (name: string) =>
      (entries.find((entry) => entry.includes(`<h3>${name}</h3>`)) ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.equal(entries.length, 2, 'the demo portal (an earlier test) and the Tilleuls');
    assert.match(
      summaryOf('Clinique des Tilleuls — portail patient'),
      /Autorisé à Ajouter des documents de santé, Ajouter mes rendez-vous Données envoyées 1 document $/,
    );
    assert.match(summaryOf('Hôpital Lumière — portail patient'), /Données envoyées 2 documents $/);
  });

  it('shows a document as soon as a service sent it, with its title escaped, and serves its bytes', async () => {
    const tokens = await adminTokens(sandbox.url, 'elise', ['DOC_ECRITURE']);
    const { bundle, bytes } = documentBundle({ ins: '295013306301828' });
    bundle.entry[1].resource.content[0].attachment.title = '<img src=x onerror=alert(1)> Lettre';
    const sent = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(bundle),
    });
    assert.equal(sent.status, 200);
    const { browser, page } = await loggedIn('elise');
    assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt; Lettre/);
    assert.doesNotMatch(page, /<img src=x/);
    assert.match(page, /Hôpital Lumière — portail patient/, 'the pairing is listed under « Services synchronisés »');
    const link = /href="(\/documents\/[^"]+)"/.exec(page)![1];
    const download = await browser.request(`${sandbox.url}${link}`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
    const stranger = await (await loggedIn('camille')).browser.request(`${sandbox.url}${link}`);
    assert.equal(stranger.status, 404, "another persona cannot download Élise's document");
  });

  it('shows a date a JavaScript Date cannot read (a leap second) as written, and the rest of the page', async () => {
    const sendWritten = await writerFor('louis', 'patient-externe-id-4', new Date().toISOString());
    await sendWritten('Seconde intercalaire', '2026-12-31T23:59:60Z');
    const { page } = await loggedIn('louis');
    assert.match(page, /Seconde intercalaire/);
    assert.match(page, /2026-12-31T23:59:60Z/);
    assert.match(page, /Services synchronisés/);
  });

  it('accepts the login form from its own origin, as a browser posts it', async () => {
    const response = await fetch(`${sandbox.url}/login`, {
      method: 'POST',
      headers: { origin: sandbox.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'persona=louis',
      redirect: 'manual',
    });
    assert.equal(response.status, 303);
    assert.match(
      response.headers.get('set-cookie') ?? '',
      /^mes_sandbox_patient=louis\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax/,
    );
  });

  it('works when opened as 127.0.0.1, and a path cannot smuggle another origin', async () => {
    const port = new URL(sandbox.url).port;
    const viaIp = await fetch(`http://127.0.0.1:${port}/login`, {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'persona=nadia',
      redirect: 'manual',
    });
    assert.equal(viaIp.status, 303);
    const { request } = await import('node:http');
    const smuggled = await new Promise<number>((resolve, reject) => {
      const body = 'persona=camille';
      request(
        {
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: '//evil.example/login',
          headers: {
            origin: 'http://evil.example',
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': body.length,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      )
        .on('error', reject)
        .end(body);
    });
    assert.notEqual(smuggled, 303);
  });

  it('refuses a forged session cookie and a cross-origin login form', async () => {
    const forged = await fetch(`${sandbox.url}/`, { headers: { cookie: 'mes_sandbox_patient=camille.forged' } });
    assert.match(await forged.text(), /choisissez un profil fictif/);
    const cross = await fetch(`${sandbox.url}/login`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'persona=camille',
      redirect: 'manual',
    });
    assert.equal(cross.status, 403);
  });
});
