import { css } from 'lit';

export const importDocumentButtonStyles = css`
  [part~='cancel'],
  [part~='stop'] {
    background: var(--mes-import-document-button-dialog-background-color, var(--_mes-surface));
    color: var(--mes-import-document-button-border-color, var(--_mes-primary-on-surface));
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
    color: var(--_mes-text-muted);
  }
  [part='status']:empty {
    display: none;
  }
  :host(:state(success)) [part='status'] {
    font-weight: 600;
    color: var(--_mes-text);
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
    border-bottom: 1px solid var(--_mes-border);
  }
  [part='item-title'] {
    grid-column: 2;
    overflow-wrap: anywhere;
  }
  [part='item-status'] {
    font-size: 0.9em;
    color: var(--_mes-text-muted);
  }
  [part='item'].failed [part='item-status'] {
    color: var(--mes-import-document-button-error-color, var(--_mes-danger));
    font-weight: 600;
  }
  .mark {
    grid-column: 1;
    color: var(--mes-import-document-button-success-color, var(--_mes-success));
    animation: mes-mark-in var(--_mes-duration) ease-out;
  }
  @keyframes mes-mark-in {
    from {
      opacity: 0;
      transform: scale(0.5);
    }
  }
  [part='progress'] {
    grid-column: 2 / -1;
    width: 100%;
    height: 0.5rem;
    accent-color: var(--mes-import-document-button-progress-color, var(--_mes-primary));
  }
  [part='error'] {
    margin: 0;
    color: var(--mes-import-document-button-error-color, var(--_mes-danger));
    font-size: 0.9em;
    max-width: 40rem;
  }
  a {
    color: var(--_mes-link);
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  [part='dialog'] {
    width: min(var(--mes-import-document-button-dialog-width, 48rem), calc(100vw - 2rem));
    /* Its height from the start, the list scrolling within: a dialog that grew as the documents came would move (it is centred). */
    height: min(48rem, calc(100dvh - 2rem));
    padding: 1rem 1.25rem;
    border: 1px solid var(--_mes-border);
    border-radius: var(--mes-import-document-button-radius, var(--_mes-radius));
    background: var(--mes-import-document-button-dialog-background-color, var(--_mes-surface));
    color: inherit;
    box-shadow: var(--_mes-shadow);
  }
  /* Open only: a closed dialog must stay display: none. */
  [part='dialog'][open] {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
  }
  [part='dialog']::backdrop {
    background: var(--mes-import-document-button-backdrop-color, var(--_mes-backdrop));
  }
  [part='title'] {
    margin: 0;
    font-size: 1.2em;
    color: var(--_mes-primary-on-surface);
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
  /* Its line kept once the hint is gone: the buttons above it stay where they are. */
  .hint {
    margin: 0;
    min-height: 1lh;
    text-align: end;
    font-size: 0.9em;
    color: var(--_mes-text-muted);
  }
  .hint.too-many {
    color: var(--mes-import-document-button-error-color, var(--_mes-danger));
    font-weight: 600;
  }
`;
