// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';
import * as React from 'react';
import { MesSendMeasuresButton as MesSendMeasuresButtonElement } from '@mes-kit/elements/mes-send-measures-button.js';

type Events = MesElementEvents['mes-send-measures-button'];

/** `<mes-send-measures-button>` as a React component; its events are the callbacks `onMesMeasuresSendStart`, `onMesMeasuresSendProgress`, `onMesMeasuresSendSuccess`, `onMesMeasuresSendError`, `onMesPairStart`, `onMesPairSuccess`, `onMesPairError`, `onMesConsentChange`. */
export const MesSendMeasuresButton = createComponent({
  tagName: 'mes-send-measures-button',
  elementClass: MesSendMeasuresButtonElement,
  react: React,
  events: {
    onMesMeasuresSendStart: 'mes-measures-send-start' as EventName<Events['mes-measures-send-start']>,
    onMesMeasuresSendProgress: 'mes-measures-send-progress' as EventName<Events['mes-measures-send-progress']>,
    onMesMeasuresSendSuccess: 'mes-measures-send-success' as EventName<Events['mes-measures-send-success']>,
    onMesMeasuresSendError: 'mes-measures-send-error' as EventName<Events['mes-measures-send-error']>,
    onMesPairStart: 'mes-pair-start' as EventName<Events['mes-pair-start']>,
    onMesPairSuccess: 'mes-pair-success' as EventName<Events['mes-pair-success']>,
    onMesPairError: 'mes-pair-error' as EventName<Events['mes-pair-error']>,
    onMesConsentChange: 'mes-consent-change' as EventName<Events['mes-consent-change']>,
  },
  displayName: 'MesSendMeasuresButton',
});
