/**
 * The portal's own script: who is logged in, their documents (named by ref: the bytes stay on the
 * portal's servers and go to MES from there), and a patient's own file to add.
 */
import '@mes-kit/elements/all.js';
import { describeFinalities, type DocumentTypeCode } from '@mes-kit/core';
import { showAgenda } from './agenda.js';
import { byId, element, portalUser, showLogin, showUser, type Me } from './page.js';

interface Records extends Me {
  documents: { ref: string; heading: string; subtitle: string; title: string }[];
}

function showSpace(me: Records) {
  showUser(me);
  for (const prompt of document.querySelectorAll('mes-consent-prompt')) {
    // What this portal asks Mon espace santé for, and why (the texts its référencement registered).
    prompt.finalities = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE']);
  }
  byId('documents').replaceChildren(
    ...me.documents.map((doc) => {
      const item = element('li', undefined, { class: 'document' });
      const text = element('div');
      const link = element('a', 'Ouvrir le document (PDF)', {
        href: `/portal/documents/${encodeURIComponent(doc.ref)}`,
      });
      text.append(element('h3', doc.heading), element('p', doc.subtitle), link);
      const button = element('mes-send-document-button', undefined, {
        'document-ref': doc.ref,
        'document-title': doc.title,
        'mes-url': 'http://localhost:8787/',
      });
      item.append(text, button);
      return item;
    }),
  );
  byId('space').hidden = false;
  watchUpload();
  void showAgenda(document.documentElement.dataset['brand']!);
}

/** The patient's own file: sent as theirs, once the file, title and type are there. */
function watchUpload() {
  const form = byId<HTMLFormElement>('upload');
  const button = byId<HTMLElementTagNameMap['mes-send-document-button']>('upload-button');
  const update = () => {
    const data = new FormData(form);
    const file = data.get('file');
    const title = data.get('title');
    const type = data.get('type');
    button.setAttribute('document-title', typeof title === 'string' ? title.trim() : '');
    // Given as it stands once a file is chosen: the button's check then names what is missing.
    button.document =
      file instanceof File && file.size > 0
        ? {
            file,
            title: typeof title === 'string' ? title.trim() : '',
            type: (typeof type === 'string' ? type : '') as DocumentTypeCode,
            author: 'patient',
          }
        : undefined;
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (event) => event.preventDefault());
}

const me = await portalUser<Records>();
if (me.user) showSpace(me);
else showLogin(me);
