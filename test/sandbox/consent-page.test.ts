import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEMO,
  authorizeWithQuery,
  pairingRequest,
  pairingsOf,
  startSandbox,
  throughConsent,
  type TestSandbox,
} from '../helpers/sandbox.js';

describe('sandbox consent page: what the service asked for, and an equal choice', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  const open = (persona: string, scope = 'openid DOC_ECRITURE AGENDA_ECRITURE') =>
    throughConsent(sandbox.url, authorizeWithQuery(sandbox.url, pairingRequest(DEMO, scope).params), persona);

  it('shows every finalité the service asked for as already switched on', async () => {
    const { consentPage: page } = await open('camille');
    const switches = page.match(/<input[^>]*name="finality"[^>]*>/g) ?? [];
    assert.deepEqual(
      switches.map((input) => /value="([^"]+)"/.exec(input)![1]),
      ['DOC_ECRITURE', 'AGENDA_ECRITURE'],
    );
    for (const input of switches) assert.match(input, /\schecked\b/, input);
  });

  it('offers « Tout refuser » and « Tout accepter » side by side, alike', async () => {
    const { consentPage: page } = await open('nadia');
    const equal = /<div class="actions equal">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? '';
    const buttons = equal.match(/<button[^>]*>[^<]*<\/button>/g) ?? [];
    assert.equal(buttons.length, 2);
    assert.match(buttons[0], />Tout refuser</);
    assert.match(buttons[1], />Tout accepter</);
    const attributes = buttons.map((b) => b.replace(/value="[^"]+"/, '').replace(/>[^<]*</, '><'));
    assert.equal(attributes[0], attributes[1], 'same markup, so the same prominence');
  });

  it('says next to « Valider » that validating with nothing switched on refuses', async () => {
    const { consentPage: page } = await open('louis');
    const confirm = /<button[^>]*value="confirm"[^>]*>/.exec(page)?.[0] ?? '';
    const hintId = /aria-describedby="([^"]+)"/.exec(confirm)?.[1];
    assert.ok(hintId, 'the button is described by the hint');
    const hint = new RegExp(`id="${hintId}"[^>]*>([^<]*)<`).exec(page)?.[1] ?? '';
    assert.equal(
      hint.replace(/\s+/g, ' ').trim(),
      'Valider sans rien cocher revient à tout refuser : le service ne sera pas synchronisé.',
    );
  });

  it('ends as access_denied, and pairs nothing, when « Valider » is submitted with nothing switched on', async () => {
    const consent = await open('elise');
    const callback = await consent.submit([]);
    assert.equal(callback.origin + callback.pathname, DEMO.redirectUri);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), 'state-123');
    assert.deepEqual(await pairingsOf(sandbox.url, 'elise'), []);
  });

  it('grants exactly the finalités left switched on', async () => {
    const consent = await open('camille');
    const callback = await consent.submit(['AGENDA_ECRITURE']);
    assert.ok(callback.searchParams.get('code'));
    assert.deepEqual((await pairingsOf(sandbox.url, 'camille'))[0]?.finalities, ['AGENDA_ECRITURE']);
  });
});
