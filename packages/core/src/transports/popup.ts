/**
 * The pairing window: MES's login and consent pages in a popup, and the result posted back by the
 * gateway's callback page — accepted only from the expected origin and from that very window.
 */
import { MesError } from '../errors.js';

export const PAIRING_MESSAGE = 'mes-kit:pairing';

export interface PairingMessage {
  type: typeof PAIRING_MESSAGE;
  outcome: 'success' | 'error';
  error?: string;
}

const WINDOW_FEATURES = 'popup,width=520,height=720';
/**
 * The callback page posts its outcome and then closes: the message may still be on its way when
 * the window reads as closed, so a closed window gets this long to have spoken.
 */
const LAST_WORD_MS = 1_500;

/** The pairing window while it is open: one at a time, brought forward rather than opened again. */
let openWindow: Window | undefined;

export function focusPairingWindow(): void {
  if (openWindow && !openWindow.closed) openWindow.focus();
}

/** Opens `url` in a popup and resolves when the page at `origin` reports success. */
export function pairInPopup(url: string, origin: string, signal?: AbortSignal): Promise<void> {
  const popup = window.open(url, 'mes-kit-pairing', WINDOW_FEATURES);
  if (!popup) return Promise.reject(new MesError('MES_POPUP_BLOCKED', { operation: 'pair' }));
  openWindow = popup;
  popup.focus();
  return new Promise((resolve, reject) => {
    let lastWord: ReturnType<typeof setTimeout> | undefined;
    const finish = (error?: MesError) => {
      if (openWindow === popup) openWindow = undefined;
      window.removeEventListener('message', onMessage);
      clearInterval(closedPoll);
      clearTimeout(lastWord);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (event: MessageEvent<unknown>) => {
      if (event.origin !== origin || event.source !== popup) return;
      const data = event.data as Partial<PairingMessage> | null;
      if (data?.type !== PAIRING_MESSAGE) return;
      finish(data.outcome === 'success' ? undefined : new MesError('MES_PAIRING_CANCELLED', { operation: 'pair' }));
    };
    const onAbort = () => {
      popup.close();
      finish(new MesError('MES_ABORTED', { operation: 'pair' }));
    };
    // A popup the patient closed posts nothing: notice it, or the operation would wait forever.
    const closedPoll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(closedPoll);
      lastWord = setTimeout(() => finish(new MesError('MES_PAIRING_CANCELLED', { operation: 'pair' })), LAST_WORD_MS);
    }, 500);
    window.addEventListener('message', onMessage);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
