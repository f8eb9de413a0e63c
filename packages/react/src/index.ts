// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
/** The mes-kit elements as React components: using one registers its element. */
export { MesAgendaSyncButton } from './mes-agenda-sync-button.js';
export { MesConsentPrompt } from './mes-consent-prompt.js';
export { MesDocumentPicker } from './mes-document-picker.js';
export { MesImportDocumentButton } from './mes-import-document-button.js';
export { MesProvider } from './mes-provider.js';
export { MesSendDocumentButton } from './mes-send-document-button.js';
export { MesSendMeasuresButton } from './mes-send-measures-button.js';
