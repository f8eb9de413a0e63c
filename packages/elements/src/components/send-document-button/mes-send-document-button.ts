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
