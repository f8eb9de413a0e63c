import { css } from 'lit';

export const sendDocumentButtonStyles = css`
  :host(:state(success)) [part='button'] {
    background: var(--mes-send-document-button-background-color-success, var(--mes-color-success, #18753c));
    border-color: var(--mes-send-document-button-background-color-success, var(--mes-color-success, #18753c));
  }
  [part='progress'] {
    width: 100%;
    min-width: 12rem;
    height: 0.5rem;
    accent-color: var(--mes-send-document-button-progress-color, var(--mes-color-primary, #1d2a78));
  }
  [part='status'] {
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  [part='status']:empty {
    display: none;
  }
  [part='error'] {
    margin: 0;
    color: var(--mes-send-document-button-error-color, var(--mes-color-danger, #b3261e));
    font-size: 0.9em;
    max-width: 32rem;
  }
  a {
    color: var(--mes-color-link, var(--mes-color-primary, #1d2a78));
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
`;
