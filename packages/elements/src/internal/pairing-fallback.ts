import type { MesClient } from '@mes-kit/core';
import { html, nothing } from 'lit';

/**
 * When the pairing popup is blocked: the way to pair in this tab instead — a link where the
 * transport has one (gateway), else a button (direct mode, which must prepare the request first).
 */
export function pairingFallback(client: MesClient | undefined, finalities: string[], label: string) {
  const transport = client?.transport;
  const url = transport?.redirectPairingUrl?.(finalities, location.pathname + location.search);
  if (url) return html`<a part="fallback" href=${url}>${label}</a>`;
  if (transport?.pairInTab) {
    return html`<button part="button fallback" type="button" @click=${() => void transport.pairInTab!(finalities)}>
      ${label}
    </button>`;
  }
  return nothing;
}
