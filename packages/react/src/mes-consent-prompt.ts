// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';
import * as React from 'react';
import { MesConsentPrompt as MesConsentPromptElement } from '@mes-kit/elements/mes-consent-prompt.js';

type Events = MesElementEvents['mes-consent-prompt'];

/** `<mes-consent-prompt>` as a React component; its events are the callbacks `onMesConsentChange`, `onMesPairStart`, `onMesPairSuccess`, `onMesPairError`, `onMesRevokeStart`, `onMesRevokeSuccess`, `onMesRevokeError`. */
export const MesConsentPrompt = createComponent({
  tagName: 'mes-consent-prompt',
  elementClass: MesConsentPromptElement,
  react: React,
  events: {
    onMesConsentChange: 'mes-consent-change' as EventName<Events['mes-consent-change']>,
    onMesPairStart: 'mes-pair-start' as EventName<Events['mes-pair-start']>,
    onMesPairSuccess: 'mes-pair-success' as EventName<Events['mes-pair-success']>,
    onMesPairError: 'mes-pair-error' as EventName<Events['mes-pair-error']>,
    onMesRevokeStart: 'mes-revoke-start' as EventName<Events['mes-revoke-start']>,
    onMesRevokeSuccess: 'mes-revoke-success' as EventName<Events['mes-revoke-success']>,
    onMesRevokeError: 'mes-revoke-error' as EventName<Events['mes-revoke-error']>,
  },
  displayName: 'MesConsentPrompt',
});
