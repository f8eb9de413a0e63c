// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';
import * as React from 'react';
import { MesSendDocumentButton as MesSendDocumentButtonElement } from '@mes-kit/elements/mes-send-document-button.js';

type Events = MesElementEvents['mes-send-document-button'];

/** `<mes-send-document-button>` as a React component; its events are the callbacks `onMesSendStart`, `onMesSendProgress`, `onMesSendSuccess`, `onMesSendError`, `onMesPairStart`, `onMesPairSuccess`, `onMesPairError`, `onMesConsentChange`. */
export const MesSendDocumentButton = createComponent({
  tagName: 'mes-send-document-button',
  elementClass: MesSendDocumentButtonElement,
  react: React,
  events: {
    onMesSendStart: 'mes-send-start' as EventName<Events['mes-send-start']>,
    onMesSendProgress: 'mes-send-progress' as EventName<Events['mes-send-progress']>,
    onMesSendSuccess: 'mes-send-success' as EventName<Events['mes-send-success']>,
    onMesSendError: 'mes-send-error' as EventName<Events['mes-send-error']>,
    onMesPairStart: 'mes-pair-start' as EventName<Events['mes-pair-start']>,
    onMesPairSuccess: 'mes-pair-success' as EventName<Events['mes-pair-success']>,
    onMesPairError: 'mes-pair-error' as EventName<Events['mes-pair-error']>,
    onMesConsentChange: 'mes-consent-change' as EventName<Events['mes-consent-change']>,
  },
  displayName: 'MesSendDocumentButton',
});
