/** The direct-mode popup's last page: hands MES's answer to the portal page, which closes it. */
import { completeDirectPairing } from '@mes-kit/core';

declare const __MES_ISSUER__: string;

await completeDirectPairing({
  issuer: __MES_ISSUER__,
  clientId: 'mes-kit-public',
  redirectUri: `${location.origin}/mes-callback.html`,
});
