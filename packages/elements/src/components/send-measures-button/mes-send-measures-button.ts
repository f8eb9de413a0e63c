import { MesSendMeasuresButton } from './send-measures-button.js';

if (!customElements.get('mes-send-measures-button')) {
  customElements.define('mes-send-measures-button', MesSendMeasuresButton);
}

declare global {
  interface HTMLElementTagNameMap {
    'mes-send-measures-button': MesSendMeasuresButton;
  }
}

export { MesSendMeasuresButton };
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
