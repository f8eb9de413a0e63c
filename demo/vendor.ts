/**
 * A vendor's page (teleconsultation, pharmacy): the patient imports documents from MES, the vendor's
 * back end keeps them (its gateway's `documents.receive`), and the page shows what it received:
 * name, size, and a preview served by that back end.
 */
import '@mes-kit/elements/all.js';
import { describeFinalities } from '@mes-kit/core';
import { showAgenda } from './agenda.js';
import { byId, element, portalUser, showLogin, showUser, type Me } from './page.js';

interface Received {
  index: number;
  title: string;
  name: string;
  size: number;
  contentType: string;
  date?: string;
  author?: string;
  receivedAt: string;
}

const vendor = document.body.dataset['vendor']!;
const size = new Intl.NumberFormat('fr-FR', { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });

/** The preview, from the vendor's own back end (a same-origin URL: no blob: needed in the CSP). */
function preview(doc: Received): HTMLElement {
  const url = `/portal/received/${vendor}/${doc.index}`;
  if (doc.contentType.startsWith('image/')) return element('img', undefined, { src: url, alt: doc.title });
  return element('iframe', undefined, { src: url, title: `Aperçu : ${doc.title}`, loading: 'lazy' });
}

async function showReceived() {
  const response = await fetch(`/portal/received/${vendor}`, { credentials: 'same-origin' });
  const list = (await response.json()) as Received[];
  byId('received-empty').hidden = list.length > 0;
  byId('received').replaceChildren(
    ...list.map((doc) => {
      const item = element('li', undefined, { class: 'document received-document' });
      const text = element('div');
      const facts = [
        doc.author,
        doc.date ? day.format(new Date(doc.date)) : undefined,
        `${doc.name} — ${size.format(Math.max(1, Math.round(doc.size / 1000)))}`,
      ].filter(Boolean);
      text.append(element('h3', doc.title), element('p', facts.join(' · ')));
      item.append(text, preview(doc));
      return item;
    }),
  );
}

async function showSpace(me: Me) {
  showUser(me);
  for (const prompt of document.querySelectorAll('mes-consent-prompt')) {
    prompt.finalities = describeFinalities((document.body.dataset['finalities'] ?? '').split(' ').filter(Boolean));
  }
  byId('space').hidden = false;
  byId('space').addEventListener('mes-import-success', () => void showReceived());
  await showReceived();
  await showAgenda(vendor);
}

const me = await portalUser();
if (me.user) await showSpace(me);
else showLogin(me);
