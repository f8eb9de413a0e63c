/** Direct mode: the same elements, paired from the page as the public client `mes-kit-public`. */
import '@mes-kit/elements/all.js';
import { describeFinalities } from '@mes-kit/core';

declare const __MES_ISSUER__: string;

// The provider is made here so that its direct-mode attributes are set before it connects.
const provider = document.createElement('mes-provider');
for (const [name, value] of Object.entries({
  issuer: __MES_ISSUER__,
  'client-id': 'mes-kit-public',
  'fhir-base': `${__MES_ISSUER__}/fhir`,
  'redirect-uri': `${location.origin}/mes-callback.html`,
  'service-oid': '1.2.250.1.999.42.2',
  'service-name': 'mes-kit (mode direct)',
})) {
  provider.setAttribute(name, value);
}
const prompt = document.createElement('mes-consent-prompt');
prompt.finalities = describeFinalities(['DOC_ECRITURE']);
prompt.setAttribute('cgu-url', '/cgu.html');
const button = document.createElement('mes-send-document-button');
button.setAttribute('mes-url', `${__MES_ISSUER__}/`);
provider.append(prompt, button);
document.querySelector('#kit')!.append(provider);

const file = await (await fetch('/documents/lettre-de-liaison.pdf')).blob();
button.document = {
  file: new File([file], 'lettre-de-liaison.pdf', { type: 'application/pdf' }),
  title: 'Lettre de liaison de sortie — chirurgie digestive',
  type: '11490-0',
  date: '2026-11-12T16:00:00+01:00',
  id: 'sejour-2026-11-09/lettre-de-liaison',
};
