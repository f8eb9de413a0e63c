/** Registers every mes-kit element. */
import './components/consent-prompt/mes-consent-prompt.js';
import './components/provider/mes-provider.js';
import './components/send-document-button/mes-send-document-button.js';

export * from './index.js';
