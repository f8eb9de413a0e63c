import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MesClient,
  MesError,
  MesStateChangeEvent,
  type LocalTransport,
  type MesSession,
  type PairingState,
} from '@mes-kit/core';
import { pdfBlob } from '../helpers/documents.js';
import { SESSION, outcome, remote, scripted } from '../helpers/scripted-transport.js';

const letter = () => ({
  file: pdfBlob('client'),
  title: 'Lettre de liaison',
  type: '11490-0' as const,
});

async function codeOf(promise: Promise<unknown>): Promise<MesError> {
  const error = await promise.then(
    () => assert.fail('expected a MesError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MesError, String(error));
  return error;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('MesClient', () => {
  describe('pair', () => {
    it('is single-flight: a second call while the window is open shares the first one', async () => {
      const opened = deferred<MesSession>();
      const asked: (readonly string[])[] = [];
      let focused = 0;
      const { transport } = scripted([]);
      const pairing: LocalTransport = {
        ...transport,
        pair: (finalities) => (asked.push(finalities), opened.promise),
        focusPairing: () => void focused++,
      };
      const client = new MesClient({ transport: pairing });
      const first = client.pair(['DOC_ECRITURE', 'DOC_LECTURE'], { textVersion: 'v1' });
      const second = client.pair(['AGENDA_ECRITURE'], { textVersion: 'v2' });
      assert.equal(second, first, 'the very same promise');
      assert.equal(client.pairing, true);
      assert.deepEqual(client.state, { status: 'pairing', finalities: ['DOC_ECRITURE', 'DOC_LECTURE'] });
      assert.equal(focused, 1, 'the open window is brought forward');

      opened.resolve({ ...SESSION, finalities: ['DOC_ECRITURE'] });
      const session = await first;
      assert.deepEqual(session.finalities, ['DOC_ECRITURE']);
      assert.deepEqual(asked, [['DOC_ECRITURE', 'DOC_LECTURE']], 'transport.pair called once, for the first caller');
      assert.equal(client.lastReceipt?.textVersion, 'v1');
      assert.deepEqual(client.lastReceipt?.granted, ['DOC_ECRITURE']);
      assert.deepEqual(client.lastReceipt?.refused, ['DOC_LECTURE']);
      assert.equal(client.lastReceipt?.service, SESSION.service.oid);
      assert.equal(client.pairing, false);
      assert.deepEqual(client.state, { status: 'paired', finalities: ['DOC_ECRITURE'] });
      assert.equal(client.hasRefused('DOC_LECTURE'), true);
      assert.equal(client.hasRefused('AGENDA_ECRITURE'), false, 'the second caller asked nothing of MES');

      const again = client.pair(['AGENDA_ECRITURE']);
      assert.notEqual(again, first, 'once settled, a new pairing opens');
      opened.resolve(SESSION);
      await again;
      assert.equal(asked.length, 2);
    });

    it('a failed pairing puts the state back and is typed', async () => {
      const { transport } = scripted([]);
      const failing: LocalTransport = {
        ...transport,
        pair: () => Promise.reject(new MesError('MES_PAIRING_CANCELLED')),
      };
      const client = new MesClient({ transport: failing });
      const error = await codeOf(client.pair(['DOC_ECRITURE']));
      assert.deepEqual([error.code, error.operation], ['MES_PAIRING_CANCELLED', 'pair']);
      assert.deepEqual(client.state, { status: 'not-paired' });
      assert.equal(client.pairing, false);
    });
  });

  describe('run refuses without the finalité, before any transport call', () => {
    const readOnly = { ...SESSION, finalities: ['DOC_LECTURE'] };
    const writeOnly = { ...SESSION, finalities: ['DOC_ECRITURE'] };
    const unpaired = { ...SESSION, paired: false, idPe: undefined, finalities: [] };

    it('in the page (local transport)', async () => {
      for (const [session, run, code] of [
        [readOnly, (c: MesClient) => c.sendDocument(letter()), 'MES_CONSENT_REQUIRED'],
        [writeOnly, (c: MesClient) => c.run('find-documents', {}), 'MES_CONSENT_REQUIRED'],
        [unpaired, (c: MesClient) => c.run('find-documents', {}), 'MES_AUTH_REQUIRED'],
      ] as const) {
        const { transport, requests } = scripted([], session);
        const error = await codeOf(run(new MesClient({ transport })));
        assert.equal(error.code, code);
        assert.equal(requests.length, 0);
      }
    });

    it('on the gateway (remote transport)', async () => {
      for (const [session, run, code, operation] of [
        [readOnly, (c: MesClient) => c.sendDocument({ ref: 'lettre-1' }), 'MES_CONSENT_REQUIRED', 'send-document'],
        [writeOnly, (c: MesClient) => c.run('find-documents', {}), 'MES_CONSENT_REQUIRED', 'find-documents'],
        [unpaired, (c: MesClient) => c.sendDocument({ ref: 'lettre-1' }), 'MES_AUTH_REQUIRED', 'send-document'],
      ] as const) {
        const { transport, runs } = remote(session);
        const error = await codeOf(run(new MesClient({ transport })));
        assert.deepEqual([error.code, error.operation], [code, operation]);
        assert.equal(runs.length, 0);
      }
    });

    it('and, granted, hands the gateway the checked input and the progress callback', async () => {
      const { transport, runs } = remote(writeOnly, {
        id: 'd1',
        masterIdentifier: 'urn:uuid:x',
        alreadyPresent: false,
      });
      const onProgress = () => undefined;
      const result = await new MesClient({ transport }).sendDocument({ ref: 'lettre-1' }, { onProgress });
      assert.deepEqual(result, { id: 'd1', masterIdentifier: 'urn:uuid:x', alreadyPresent: false });
      assert.equal(runs.length, 1);
      assert.equal(runs[0].name, 'send-document');
      assert.deepEqual(runs[0].input, { ref: 'lettre-1' });
      assert.equal(runs[0].options?.onProgress, onProgress);
      const bad = await codeOf(new MesClient({ transport }).sendDocument({ ref: ' spaced ' }));
      assert.deepEqual([bad.code, bad.field], ['MES_INVALID_INPUT', 'ref']);
      assert.equal(runs.length, 1, 'a bad ref never reaches the gateway');
    });
  });

  describe('pairing state', () => {
    it('keeps every finalité MES refused, after two different 403s', async () => {
      const consent = outcome(403, 'Consent not given, access refused.');
      const { transport, requests } = scripted([consent, consent, consent]);
      const client = new MesClient({ transport });
      const states: PairingState[] = [];
      client.addEventListener('mes-state-change', (event) => {
        assert.ok(event instanceof MesStateChangeEvent);
        states.push(event.state);
      });
      await client.session();
      assert.deepEqual(client.state, { status: 'paired', finalities: ['DOC_ECRITURE', 'DOC_LECTURE'] });

      assert.equal((await codeOf(client.run('find-documents', {}))).code, 'MES_CONSENT_REQUIRED');
      assert.deepEqual(client.state, {
        status: 'reapproval-required',
        finalities: ['DOC_ECRITURE'],
        refused: ['DOC_LECTURE'],
      });
      assert.equal((await codeOf(client.sendDocument(letter()))).code, 'MES_CONSENT_REQUIRED');
      assert.deepEqual(client.state, {
        status: 'reapproval-required',
        finalities: [],
        refused: ['DOC_LECTURE', 'DOC_ECRITURE'],
      });
      assert.equal((await codeOf(client.run('find-documents', {}))).code, 'MES_CONSENT_REQUIRED');
      assert.deepEqual(
        client.state,
        { status: 'reapproval-required', finalities: [], refused: ['DOC_LECTURE', 'DOC_ECRITURE'] },
        'the same refusal again changes nothing',
      );
      assert.equal(requests.length, 2, 'a finalité MES withdrew is not asked of MES again');
      assert.equal(states.length, 3, 'one event per change');
    });

    it('the gateway’s own refusals (no MES status) also end a stale session; the page’s own checks do not', async () => {
      let sessions = 0;
      const { transport } = remote();
      const refusing = {
        ...transport,
        session: async () => (sessions++, SESSION),
        run: () => Promise.reject(MesError.fromJSON({ code: 'MES_AUTH_REQUIRED', operation: 'find-documents' })),
      };
      const client = new MesClient({ transport: refusing });
      const error = await codeOf(client.run('find-documents', {}));
      assert.deepEqual([error.code, error.status], ['MES_AUTH_REQUIRED', undefined]);
      assert.deepEqual(client.state, { status: 'revoked' });
      await client.session();
      assert.equal(sessions, 2, 'asked the gateway again');

      const { transport: readOnly } = remote({ ...SESSION, finalities: ['DOC_LECTURE'] });
      const checked = new MesClient({ transport: readOnly });
      await codeOf(checked.sendDocument({ ref: 'lettre-1' }));
      assert.deepEqual(
        checked.state,
        { status: 'paired', finalities: ['DOC_LECTURE'] },
        'refused here: nothing learnt',
      );
    });

    it('a 401 from MES ends the pairing as revoked', async () => {
      const { transport } = scripted([outcome(401, 'Access token invalid, expired or revoked.')]);
      const client = new MesClient({ transport });
      const error = await codeOf(client.run('find-documents', {}));
      assert.deepEqual([error.code, error.status], ['MES_AUTH_REQUIRED', 401]);
      assert.deepEqual(client.state, { status: 'revoked' });
    });
  });
});
