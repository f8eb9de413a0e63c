// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';
import * as React from 'react';
import { MesImportDocumentButton as MesImportDocumentButtonElement } from '@mes-kit/elements/mes-import-document-button.js';

type Events = MesElementEvents['mes-import-document-button'];

/** `<mes-import-document-button>` as a React component; its events are the callbacks `onMesImportStart`, `onMesImportProgress`, `onMesImportSuccess`, `onMesImportError`, `onMesPairStart`, `onMesPairSuccess`, `onMesPairError`, `onMesConsentChange`. */
export const MesImportDocumentButton = createComponent({
  tagName: 'mes-import-document-button',
  elementClass: MesImportDocumentButtonElement,
  react: React,
  events: {
    onMesImportStart: 'mes-import-start' as EventName<Events['mes-import-start']>,
    onMesImportProgress: 'mes-import-progress' as EventName<Events['mes-import-progress']>,
    onMesImportSuccess: 'mes-import-success' as EventName<Events['mes-import-success']>,
    onMesImportError: 'mes-import-error' as EventName<Events['mes-import-error']>,
    onMesPairStart: 'mes-pair-start' as EventName<Events['mes-pair-start']>,
    onMesPairSuccess: 'mes-pair-success' as EventName<Events['mes-pair-success']>,
    onMesPairError: 'mes-pair-error' as EventName<Events['mes-pair-error']>,
    onMesConsentChange: 'mes-consent-change' as EventName<Events['mes-consent-change']>,
  },
  displayName: 'MesImportDocumentButton',
});
