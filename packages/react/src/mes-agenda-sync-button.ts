// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';
import * as React from 'react';
import { MesAgendaSyncButton as MesAgendaSyncButtonElement } from '@mes-kit/elements/mes-agenda-sync-button.js';

type Events = MesElementEvents['mes-agenda-sync-button'];

/** `<mes-agenda-sync-button>` as a React component; its events are the callbacks `onMesAgendaSyncStart`, `onMesAgendaSyncProgress`, `onMesAgendaSyncSuccess`, `onMesAgendaSyncError`, `onMesPairStart`, `onMesPairSuccess`, `onMesPairError`, `onMesConsentChange`. */
export const MesAgendaSyncButton = createComponent({
  tagName: 'mes-agenda-sync-button',
  elementClass: MesAgendaSyncButtonElement,
  react: React,
  events: {
    onMesAgendaSyncStart: 'mes-agenda-sync-start' as EventName<Events['mes-agenda-sync-start']>,
    onMesAgendaSyncProgress: 'mes-agenda-sync-progress' as EventName<Events['mes-agenda-sync-progress']>,
    onMesAgendaSyncSuccess: 'mes-agenda-sync-success' as EventName<Events['mes-agenda-sync-success']>,
    onMesAgendaSyncError: 'mes-agenda-sync-error' as EventName<Events['mes-agenda-sync-error']>,
    onMesPairStart: 'mes-pair-start' as EventName<Events['mes-pair-start']>,
    onMesPairSuccess: 'mes-pair-success' as EventName<Events['mes-pair-success']>,
    onMesPairError: 'mes-pair-error' as EventName<Events['mes-pair-error']>,
    onMesConsentChange: 'mes-consent-change' as EventName<Events['mes-consent-change']>,
  },
  displayName: 'MesAgendaSyncButton',
});
