import { MesProvider } from './provider.js';

if (!customElements.get('mes-provider')) customElements.define('mes-provider', MesProvider);

declare global {
  interface HTMLElementTagNameMap {
    'mes-provider': MesProvider;
  }
}

export { MesProvider };
