/** Classes and types only: importing this registers nothing (see `all.ts` or each `mes-*.js`). */
export { MesAgendaSyncButton } from './components/agenda-sync-button/agenda-sync-button.js';
export { MesConsentPrompt } from './components/consent-prompt/consent-prompt.js';
export { MesDocumentPicker } from './components/document-picker/document-picker.js';
export { MesImportDocumentButton } from './components/import-document-button/import-document-button.js';
export { MesProvider } from './components/provider/provider.js';
export { MesSendDocumentButton } from './components/send-document-button/send-document-button.js';
export { MesSendMeasuresButton } from './components/send-measures-button/send-measures-button.js';
export { clientContext } from './context/client-context.js';
export type {
  MesSendSuccessDetail,
  MesErrorDetail,
  MesPairDetail,
  MesConsentChangeDetail,
  MesSelectionChangeDetail,
  MesImportStartDetail,
  MesImportProgressDetail,
  MesImportSuccessDetail,
  MesImportErrorDetail,
  MesAgendaSyncStartDetail,
  MesAgendaSyncSuccessDetail,
  MesMeasuresSendStartDetail,
  MesMeasuresSendSuccessDetail,
} from './events.js';
export type {
  AgendaSyncButtonStrings,
  ConsentPromptStrings,
  ImportDocumentButtonStrings,
  SendDocumentButtonStrings,
  SendMeasuresButtonStrings,
} from './translations/fr.js';
export type { DocumentPickerStrings } from './translations/fr.js';
export type { StringOverrides } from './internal/localize.js';
