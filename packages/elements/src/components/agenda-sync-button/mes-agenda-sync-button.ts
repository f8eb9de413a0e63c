import { MesAgendaSyncButton } from './agenda-sync-button.js';

if (!customElements.get('mes-agenda-sync-button')) {
  customElements.define('mes-agenda-sync-button', MesAgendaSyncButton);
}

declare global {
  interface HTMLElementTagNameMap {
    'mes-agenda-sync-button': MesAgendaSyncButton;
  }
}

export { MesAgendaSyncButton };
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
