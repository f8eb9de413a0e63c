/** Registers every mes-kit element (the provider first). */
import './components/provider/mes-provider.js';
import './components/consent-prompt/mes-consent-prompt.js';
import './components/send-document-button/mes-send-document-button.js';
import './components/document-picker/mes-document-picker.js';
import './components/import-document-button/mes-import-document-button.js';
import './components/agenda-sync-button/mes-agenda-sync-button.js';
import './components/send-measures-button/mes-send-measures-button.js';

export * from './index.js';
