import { css } from 'lit';

export const sendDocumentButtonStyles = css`
  :host {
    display: inline-block;
    max-width: 100%;
  }
  [part='base'] {
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--mes-space-s, 0.5rem);
  }
  [part='button'] {
    display: inline-flex;
    align-items: center;
    gap: var(--mes-space-s, 0.5rem);
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1.25rem;
    border: 2px solid var(--mes-send-document-button-border-color, var(--mes-color-primary, #1d2a78));
    border-radius: var(--mes-send-document-button-radius, var(--mes-radius-m, 8px));
    background: var(--mes-send-document-button-background-color, var(--mes-color-primary, #1d2a78));
    color: var(--mes-send-document-button-color, var(--mes-color-on-primary, #ffffff));
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  [part='button']:hover:not([aria-disabled='true']) {
    background: var(--mes-send-document-button-background-color-hover, var(--mes-color-primary-hover, #131c55));
  }
  [part='button'][aria-disabled='true'] {
    cursor: default;
    opacity: 0.85;
  }
  :host(:state(success)) [part='button'] {
    background: var(--mes-send-document-button-background-color-success, var(--mes-color-success, #18753c));
    border-color: var(--mes-send-document-button-background-color-success, var(--mes-color-success, #18753c));
  }
  [part='icon'],
  [part='spinner'] {
    width: 1.25em;
    height: 1.25em;
    flex: none;
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
