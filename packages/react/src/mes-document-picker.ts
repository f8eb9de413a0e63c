// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';
import * as React from 'react';
import { MesDocumentPicker as MesDocumentPickerElement } from '@mes-kit/elements/mes-document-picker.js';

type Events = MesElementEvents['mes-document-picker'];

/** `<mes-document-picker>` as a React component; its events are the callbacks `onMesSelectionChange`, `onMesPairStart`, `onMesPairSuccess`, `onMesPairError`, `onMesConsentChange`. */
export const MesDocumentPicker = createComponent({
  tagName: 'mes-document-picker',
  elementClass: MesDocumentPickerElement,
  react: React,
  events: {
    onMesSelectionChange: 'mes-selection-change' as EventName<Events['mes-selection-change']>,
    onMesPairStart: 'mes-pair-start' as EventName<Events['mes-pair-start']>,
    onMesPairSuccess: 'mes-pair-success' as EventName<Events['mes-pair-success']>,
    onMesPairError: 'mes-pair-error' as EventName<Events['mes-pair-error']>,
    onMesConsentChange: 'mes-consent-change' as EventName<Events['mes-consent-change']>,
  },
  displayName: 'MesDocumentPicker',
});
