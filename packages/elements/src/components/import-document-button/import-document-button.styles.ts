import { css } from 'lit';

export const importDocumentButtonStyles = css`
  [part~='cancel'],
  [part~='stop'] {
    background: var(--mes-import-document-button-dialog-background-color, var(--mes-color-surface, #ffffff));
    color: var(--mes-import-document-button-border-color, var(--mes-color-primary, #1d2a78));
  }
  [part~='confirm'][aria-disabled='true'] {
    opacity: 0.6;
  }
  .mark {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  [part='status'] {
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  [part='status']:empty {
    display: none;
  }
  :host(:state(success)) [part='status'] {
    font-weight: 600;
    color: var(--mes-color-text, #161616);
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    width: 100%;
    min-width: min(20rem, 100%);
    max-width: 40rem;
  }
  [part='item'] {
    display: grid;
    grid-template-columns: 1.25em 1fr auto;
    align-items: center;
    gap: 0.25rem 0.5rem;
    padding: 0.375rem 0;
    border-bottom: 1px solid var(--mes-color-border, #d5d8e3);
  }
  [part='item-title'] {
    grid-column: 2;
    overflow-wrap: anywhere;
  }
  [part='item-status'] {
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  [part='item'].failed [part='item-status'] {
    color: var(--mes-import-document-button-error-color, var(--mes-color-danger, #b3261e));
    font-weight: 600;
  }
  .mark {
    grid-column: 1;
    color: var(--mes-import-document-button-success-color, var(--mes-color-success, #18753c));
  }
  [part='progress'] {
    grid-column: 2 / -1;
    width: 100%;
    height: 0.5rem;
    accent-color: var(--mes-import-document-button-progress-color, var(--mes-color-primary, #1d2a78));
  }
  [part='error'] {
    margin: 0;
    color: var(--mes-import-document-button-error-color, var(--mes-color-danger, #b3261e));
    font-size: 0.9em;
    max-width: 40rem;
  }
  a {
    color: var(--mes-color-link, var(--mes-color-primary, #1d2a78));
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  [part='dialog'] {
    width: min(var(--mes-import-document-button-dialog-width, 48rem), calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: 1rem 1.25rem;
    border: 1px solid var(--mes-color-border, #d5d8e3);
    border-radius: var(--mes-import-document-button-radius, var(--mes-radius-m, 8px));
    background: var(--mes-import-document-button-dialog-background-color, var(--mes-color-surface, #ffffff));
    color: inherit;
  }
  /* Open only: a closed dialog must stay display: none. */
  [part='dialog'][open] {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
  }
  [part='dialog']::backdrop {
    background: var(--mes-import-document-button-backdrop-color, rgb(22 22 22 / 0.55));
  }
  [part='title'] {
    margin: 0;
    font-size: 1.2em;
    color: var(--mes-color-primary, #1d2a78);
  }
  [part='picker'] {
    display: block;
    flex: 1 1 auto;
    min-height: 12rem;
    overflow: auto;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.75rem;
  }
  .hint {
    margin: 0;
    text-align: end;
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  .hint.too-many {
    color: var(--mes-import-document-button-error-color, var(--mes-color-danger, #b3261e));
    font-weight: 600;
  }
`;
