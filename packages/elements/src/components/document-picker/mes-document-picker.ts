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
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
