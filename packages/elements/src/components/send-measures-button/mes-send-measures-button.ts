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
