import { MesSendDocumentButton } from './send-document-button.js';

if (!customElements.get('mes-send-document-button')) {
  customElements.define('mes-send-document-button', MesSendDocumentButton);
}

declare global {
  interface HTMLElementTagNameMap {
    'mes-send-document-button': MesSendDocumentButton;
  }
}

export { MesSendDocumentButton };
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
