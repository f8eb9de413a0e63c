import { provide } from '@lit/context';
import { MesClient, gatewayTransport } from '@mes-kit/core';
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { clientContext } from '../../context/client-context.js';

/**
 * @summary Gives every mes-kit element inside it the client that talks to Mon espace santé.
 * @tag mes-provider
 * @slot - The page content holding mes-kit elements.
 *
 * By default the client goes through the portal's gateway at `gateway` (`/mes`), which keeps the
 * MES tokens server-side. With `issuer`, `client-id`, `fhir-base` and `redirect-uri`, it pairs
 * directly as a public client (tokens in memory only). Set `.client` for any other transport.
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

  /** Direct mode (no back end): MES's issuer; with `client-id`, `fhir-base`, `redirect-uri`, `service-oid` and `service-name`. */
  @property() issuer?: string;
  @property({ attribute: 'client-id' }) clientId?: string;
  @property({ attribute: 'fhir-base' }) fhirBase?: string;
  /** Direct mode: the page that completes the pairing popup (it calls `completeDirectPairing`). */
  @property({ attribute: 'redirect-uri' }) redirectUri?: string;
  @property({ attribute: 'service-oid' }) serviceOid = '';
  @property({ attribute: 'service-name' }) serviceName = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) return;
    if (this.issuer && this.clientId && this.fhirBase && this.redirectUri) {
      void this.connectDirectly(this.issuer, this.clientId, this.fhirBase, this.redirectUri);
      return;
    }
    this.client = new MesClient({ transport: gatewayTransport({ baseUrl: this.gateway }) });
  }

  /** Direct mode, loaded only by the pages that use it: a portal with a gateway never ships it. */
  private async connectDirectly(issuer: string, clientId: string, fhirBaseUrl: string, redirectUri: string) {
    const { directTransport } = await import('@mes-kit/core/direct');
    const transport = directTransport({
      issuer,
      clientId,
      fhirBaseUrl,
      redirectUri,
      service: { oid: this.serviceOid, name: this.serviceName },
    });
    const client = new MesClient({ transport });
    // Back from a pairing in the tab: finish it before anyone asks for the session.
    await transport.resume().catch(() => false);
    this.client = client;
  }

  override render() {
    return html`<slot></slot>`;
  }
}
