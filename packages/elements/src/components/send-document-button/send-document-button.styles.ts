import { css } from 'lit';

export const sendDocumentButtonStyles = css`
  :host(:state(success)) [part='button'] {
    background: var(--mes-send-document-button-background-color-success, var(--_mes-success));
    border-color: var(--mes-send-document-button-background-color-success, var(--_mes-success));
    color: var(--_mes-on-success);
  }
  [part='progress'] {
    width: 100%;
    min-width: 12rem;
    height: 0.5rem;
    accent-color: var(--mes-send-document-button-progress-color, var(--_mes-primary));
  }
  [part='status'] {
    font-size: 0.9em;
    color: var(--_mes-text-muted);
  }
  [part='status']:empty {
    display: none;
  }
  [part='error'] {
    margin: 0;
    color: var(--mes-send-document-button-error-color, var(--_mes-danger));
    font-size: 0.9em;
    max-width: 32rem;
  }
  a {
    color: var(--_mes-link);
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
`;
