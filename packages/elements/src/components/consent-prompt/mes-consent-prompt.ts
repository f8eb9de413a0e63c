import { MesConsentPrompt } from './consent-prompt.js';

if (!customElements.get('mes-consent-prompt')) customElements.define('mes-consent-prompt', MesConsentPrompt);

declare global {
  interface HTMLElementTagNameMap {
    'mes-consent-prompt': MesConsentPrompt;
  }
}

export { MesConsentPrompt };
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
