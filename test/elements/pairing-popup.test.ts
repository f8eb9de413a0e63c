import { expect } from '@open-wc/testing';
import { MesError, PAIRING_MESSAGE, gatewayTransport } from '@mes-kit/core';

/** The pairing popup, played by an iframe: what it posts is trusted only from the right origin and window. */
describe('pairing popup (gateway transport)', () => {
  let frame: HTMLIFrameElement;
  let opened: string | undefined;
  const realOpen = window.open.bind(window);
  const session = {
    paired: true,
    finalities: ['DOC_ECRITURE'],
    idPe: 'patient-externe-id-2',
    service: { oid: '1.2.250.1.999.42.1', name: 'Test' },
  };
  const fetchSession: typeof fetch = async () =>
    new Response(JSON.stringify(session), { headers: { 'content-type': 'application/json' } });

  beforeEach(() => {
    frame = document.createElement('iframe');
    document.body.append(frame);
    opened = undefined;
    window.open = (url?: string | URL) => {
      opened = String(url);
      return frame.contentWindow;
    };
  });
  afterEach(() => {
    window.open = realOpen;
    frame.remove();
  });

  const post = (data: unknown, origin: string, source: Window | null) =>
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));

  it('ignores messages from another origin or another window, and resolves on the popup’s own', async () => {
    const transport = gatewayTransport({ baseUrl: '/mes', fetch: fetchSession });
    let settled = false;
    const pairing = transport.pair(['DOC_ECRITURE']).finally(() => (settled = true));
    expect(opened).to.match(/^\/mes\/pair\/start\?finalities=DOC_ECRITURE&mode=popup$/);
    const success = { type: PAIRING_MESSAGE, outcome: 'success' };
    post(success, 'http://evil.example', frame.contentWindow);
    post(success, location.origin, window);
    post({ type: 'other', outcome: 'success' }, location.origin, frame.contentWindow);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).to.be.false;
    post(success, location.origin, frame.contentWindow);
    expect(await pairing).to.deep.equal(session);
  });

  it('rejects with MES_PAIRING_CANCELLED when the popup reports a refusal', async () => {
    const pairing = gatewayTransport({ fetch: fetchSession }).pair(['DOC_ECRITURE']);
    post({ type: PAIRING_MESSAGE, outcome: 'error', error: 'refusé' }, location.origin, frame.contentWindow);
    const error = await pairing.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MesError);
    expect((error as MesError).code).to.equal('MES_PAIRING_CANCELLED');
  });

  it('takes the outcome the popup posted as it closed, even when the message arrives after', async () => {
    const pairing = gatewayTransport({ fetch: fetchSession }).pair(['DOC_ECRITURE']);
    const popup = frame.contentWindow;
    frame.remove();
    // The window reads as closed for a poll or two before its message is delivered.
    await new Promise((resolve) => setTimeout(resolve, 800));
    post({ type: PAIRING_MESSAGE, outcome: 'success' }, location.origin, popup);
    expect(await pairing).to.deep.equal(session);
  });

  it('rejects with MES_PAIRING_CANCELLED when the popup is closed without a word', async () => {
    const pairing = gatewayTransport({ fetch: fetchSession }).pair(['DOC_ECRITURE']);
    frame.remove();
    const error = await pairing.catch((e: unknown) => e);
    expect((error as MesError).code).to.equal('MES_PAIRING_CANCELLED');
  });

  it('rejects with MES_POPUP_BLOCKED when the window cannot open', async () => {
    window.open = () => null;
    const error = await gatewayTransport({ fetch: fetchSession })
      .pair(['DOC_ECRITURE'])
      .catch((e: unknown) => e);
    expect((error as MesError).code).to.equal('MES_POPUP_BLOCKED');
  });

  it('« Rouvrir la fenêtre » brings the open window forward; « Annuler » closes it and rejects with MES_ABORTED', async () => {
    const calls: string[] = [];
    const popup = {
      closed: false,
      focus: () => calls.push('focus'),
      close: () => calls.push('close'),
    } as unknown as Window;
    window.open = () => popup;
    const transport = gatewayTransport({ fetch: fetchSession });
    const cancel = new AbortController();
    const pairing = transport.pair(['DOC_ECRITURE'], cancel.signal).catch((e: unknown) => e);
    calls.length = 0;
    transport.focusPairing!();
    expect(calls).to.deep.equal(['focus']);
    cancel.abort();
    const error = await pairing;
    expect(calls).to.deep.equal(['focus', 'close']);
    expect((error as MesError).code).to.equal('MES_ABORTED');
  });
});
