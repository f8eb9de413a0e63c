import { provide } from '@lit/context';
import { MesClient, gatewayTransport } from '@mes-kit/core';
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { clientContext } from '../../context/client-context.js';
import { langOf } from '../../internal/localize.js';

/**
 * @summary Gives every mes-kit element inside it the client that talks to Mon espace santé.
 * @tag mes-provider
 * @slot - The page content holding mes-kit elements.
 *
 * By default the client goes through the portal's gateway at `gateway` (`/mes`), which keeps the
 * MES tokens server-side. Set `.client` to use another transport (in-process sandbox, direct mode).
 */
export class MesProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The client given to descendants; created from `gateway` when not set. */
  @provide({ context: clientContext })
  @property({ attribute: false })
  client?: MesClient;

  /** Where the gateway is mounted. */
  @property() gateway = '/mes';

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.client) {
      const lang = langOf(this);
      this.client = new MesClient({ transport: gatewayTransport({ baseUrl: this.gateway, lang }), lang });
    }
  }

  override render() {
    return html`<slot></slot>`;
  }
}
