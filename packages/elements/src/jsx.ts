// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
/**
 * Types for the mes-kit tags in the templates of a framework: what each tag takes (its properties,
 * and its attributes by their own names) and the events it fires. The framework's own declarations
 * (`@mes-kit/elements/jsx/react`, `…/preact`, `…/svelte`) are built on them.
 */
import type { DetailOf } from './events.js';
import type { MesAgendaSyncButton } from './components/agenda-sync-button/agenda-sync-button.js';
import type { MesConsentPrompt } from './components/consent-prompt/consent-prompt.js';
import type { MesDocumentPicker } from './components/document-picker/document-picker.js';
import type { MesImportDocumentButton } from './components/import-document-button/import-document-button.js';
import type { MesProvider } from './components/provider/provider.js';
import type { MesSendDocumentButton } from './components/send-document-button/send-document-button.js';
import type { MesSendMeasuresButton } from './components/send-measures-button/send-measures-button.js';

type EventsNamed<Name extends keyof HTMLElementEventMap> = { [Type in Name]: CustomEvent<DetailOf<Type>> };

/** For each tag, its element. */
export interface MesElements {
  'mes-agenda-sync-button': MesAgendaSyncButton;
  'mes-consent-prompt': MesConsentPrompt;
  'mes-document-picker': MesDocumentPicker;
  'mes-import-document-button': MesImportDocumentButton;
  'mes-provider': MesProvider;
  'mes-send-document-button': MesSendDocumentButton;
  'mes-send-measures-button': MesSendMeasuresButton;
}

/** For each tag, what a template may set. */
export interface MesElementProperties {
  'mes-agenda-sync-button': Partial<
    Pick<MesAgendaSyncButton, 'theme' | 'appointments' | 'appointmentId' | 'appointmentTitle' | 'client' | 'strings'>
  > & {
    'appointment-id'?: MesAgendaSyncButton['appointmentId'];
    'appointment-title'?: MesAgendaSyncButton['appointmentTitle'];
  };
  'mes-consent-prompt': Partial<
    Pick<MesConsentPrompt, 'theme' | 'finalities' | 'client' | 'cguUrl' | 'textVersion' | 'mesSettingsUrl' | 'strings'>
  > & {
    'cgu-url'?: MesConsentPrompt['cguUrl'];
    'text-version'?: MesConsentPrompt['textVersion'];
    'mes-settings-url'?: MesConsentPrompt['mesSettingsUrl'];
  };
  'mes-document-picker': Partial<
    Pick<
      MesDocumentPicker,
      'theme' | 'client' | 'multiple' | 'name' | 'required' | 'disabled' | 'category' | 'pageSize' | 'strings'
    >
  > & { 'page-size'?: MesDocumentPicker['pageSize'] };
  'mes-import-document-button': Partial<
    Pick<MesImportDocumentButton, 'theme' | 'multiple' | 'max' | 'deliver' | 'category' | 'client' | 'strings'>
  >;
  'mes-provider': Partial<
    Pick<
      MesProvider,
      'client' | 'gateway' | 'issuer' | 'clientId' | 'fhirBase' | 'redirectUri' | 'serviceOid' | 'serviceName'
    >
  > & {
    'client-id'?: MesProvider['clientId'];
    'fhir-base'?: MesProvider['fhirBase'];
    'redirect-uri'?: MesProvider['redirectUri'];
    'service-oid'?: MesProvider['serviceOid'];
    'service-name'?: MesProvider['serviceName'];
  };
  'mes-send-document-button': Partial<
    Pick<
      MesSendDocumentButton,
      'theme' | 'document' | 'documentRef' | 'documentTitle' | 'client' | 'mesUrl' | 'strings'
    >
  > & {
    'document-ref'?: MesSendDocumentButton['documentRef'];
    'document-title'?: MesSendDocumentButton['documentTitle'];
    'mes-url'?: MesSendDocumentButton['mesUrl'];
  };
  'mes-send-measures-button': Partial<
    Pick<MesSendMeasuresButton, 'theme' | 'series' | 'kinds' | 'from' | 'to' | 'client' | 'strings'>
  >;
}

/** For each tag, the events it fires, with their types. */
export interface MesElementEvents {
  'mes-agenda-sync-button': EventsNamed<
    | 'mes-agenda-sync-start'
    | 'mes-agenda-sync-progress'
    | 'mes-agenda-sync-success'
    | 'mes-agenda-sync-error'
    | 'mes-pair-start'
    | 'mes-pair-success'
    | 'mes-pair-error'
    | 'mes-consent-change'
  >;
  'mes-consent-prompt': EventsNamed<
    | 'mes-consent-change'
    | 'mes-pair-start'
    | 'mes-pair-success'
    | 'mes-pair-error'
    | 'mes-revoke-start'
    | 'mes-revoke-success'
    | 'mes-revoke-error'
  >;
  'mes-document-picker': EventsNamed<
    'mes-selection-change' | 'mes-pair-start' | 'mes-pair-success' | 'mes-pair-error' | 'mes-consent-change'
  >;
  'mes-import-document-button': EventsNamed<
    | 'mes-import-start'
    | 'mes-import-progress'
    | 'mes-import-success'
    | 'mes-import-error'
    | 'mes-pair-start'
    | 'mes-pair-success'
    | 'mes-pair-error'
    | 'mes-consent-change'
  >;
  'mes-provider': EventsNamed<never>;
  'mes-send-document-button': EventsNamed<
    | 'mes-send-start'
    | 'mes-send-progress'
    | 'mes-send-success'
    | 'mes-send-error'
    | 'mes-pair-start'
    | 'mes-pair-success'
    | 'mes-pair-error'
    | 'mes-consent-change'
  >;
  'mes-send-measures-button': EventsNamed<
    | 'mes-measures-send-start'
    | 'mes-measures-send-progress'
    | 'mes-measures-send-success'
    | 'mes-measures-send-error'
    | 'mes-pair-start'
    | 'mes-pair-success'
    | 'mes-pair-error'
    | 'mes-consent-change'
  >;
}
