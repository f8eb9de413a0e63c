import { MesDocumentPicker } from './document-picker.js';

if (!customElements.get('mes-document-picker')) {
  customElements.define('mes-document-picker', MesDocumentPicker);
}

declare global {
  interface HTMLElementTagNameMap {
    'mes-document-picker': MesDocumentPicker;
  }
}

export { MesDocumentPicker };
