import { ContextRoot } from '@lit/context';
import { MesProvider } from './provider.js';

if (!customElements.get('mes-provider')) {
  // Elements defined before the provider ask for the client too early: the root answers them later.
  new ContextRoot().attach(document.documentElement);
  customElements.define('mes-provider', MesProvider);
}

declare global {
  interface HTMLElementTagNameMap {
    'mes-provider': MesProvider;
  }
}

export { MesProvider };
// Its events' types (and their place in HTMLElementEventMap) come with the element, imported alone.
export type * from '../../events.js';
