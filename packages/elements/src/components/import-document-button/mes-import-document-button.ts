import '../document-picker/mes-document-picker.js';
import { MesImportDocumentButton } from './import-document-button.js';

if (!customElements.get('mes-import-document-button')) {
  customElements.define('mes-import-document-button', MesImportDocumentButton);
}

declare global {
  interface HTMLElementTagNameMap {
    'mes-import-document-button': MesImportDocumentButton;
  }
}

export { MesImportDocumentButton };
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
