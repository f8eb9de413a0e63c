import { css } from 'lit';

export const documentPickerStyles = css`
  :host {
    display: block;
    max-width: 52rem;
  }
  :host(:disabled) {
    opacity: 0.7;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    padding: 1rem;
    background: var(--mes-document-picker-background-color, var(--_mes-surface));
    border: 1px solid var(--mes-document-picker-border-color, var(--_mes-border));
    border-radius: var(--mes-document-picker-radius, var(--_mes-radius));
  }
  [part~='filters'] {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.75rem 1rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  .field.search {
    flex: 1 1 14rem;
  }
  .dates {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 11rem));
    align-items: end;
    gap: 0.25rem 0.5rem;
    min-width: 0;
  }
  /* A narrow screen: the two dates share the width rather than overflow it. */
  .dates input {
    width: 100%;
    min-width: 0;
    box-sizing: border-box;
  }
  .dates .legend {
    grid-column: 1 / -1;
  }
  label,
  .legend {
    font-weight: 600;
    font-size: 0.95em;
  }
  input,
  select {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    color: inherit;
    background: var(--_mes-surface);
    border: 1px solid var(--mes-document-picker-input-border-color, var(--_mes-control));
    border-radius: var(--mes-document-picker-input-radius, var(--_mes-radius-s));
  }
  [part~='status'] {
    margin: 0;
    min-height: 1.5em;
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  [part~='error'] {
    color: var(--mes-document-picker-error-color, var(--_mes-danger));
    font-weight: 600;
  }
  [part~='spinner'] {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75rem;
  }
  [part~='button'] {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1.25rem;
    color: var(--_mes-primary-on-surface);
    background: var(--mes-document-picker-button-background-color, var(--_mes-surface));
    border: 2px solid var(--_mes-primary-on-surface);
    border-radius: var(--mes-document-picker-button-radius, var(--_mes-radius));
    cursor: pointer;
  }
  [part~='button'].primary {
    color: var(--_mes-on-primary);
    background: var(--_mes-primary);
    border-color: var(--_mes-primary);
  }
  a {
    color: var(--_mes-link);
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  [part~='button']:disabled {
    cursor: default;
    opacity: 0.6;
  }
  /* The virtualizer positions the rows and makes the list its own scroller; its height is the host's to give. */
  [part~='list'] {
    height: var(--mes-document-picker-list-height, 24rem);
    border: 1px solid var(--mes-document-picker-border-color, var(--_mes-border));
    border-radius: var(--mes-document-picker-radius, var(--_mes-radius));
  }
  [part~='list'][aria-disabled='true'] [part~='item'] {
    cursor: default;
  }
  [part~='item'] {
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: center;
    gap: 0 0.75rem;
    width: 100%;
    min-height: 3.5rem;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid var(--_mes-border);
    cursor: pointer;
  }
  :host(:not([multiple])) [part~='item'] {
    grid-template-columns: 1fr;
  }
  [part~='item']:hover {
    background: var(--mes-document-picker-item-background-color-hover, var(--_mes-neutral-subtle));
  }
  [part~='item'][aria-selected='true'] {
    background: var(--mes-document-picker-item-background-color-selected, var(--_mes-primary-subtle));
    box-shadow: inset 4px 0 0 var(--mes-document-picker-item-border-color-selected, var(--_mes-primary-on-surface));
  }
  [part~='list']:focus-visible {
    outline-offset: -3px;
  }
  [part~='list']:focus-visible [part~='item'].active {
    outline: 3px solid var(--_mes-focus-ring);
    outline-offset: -3px;
  }
  [part~='check'] {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 1.25rem;
    height: 1.25rem;
    border: 2px solid var(--mes-document-picker-check-color, var(--_mes-primary-on-surface));
    border-radius: 4px;
    color: var(--_mes-on-primary);
  }
  [aria-selected='true'] [part~='check'] {
    background: var(--mes-document-picker-check-color, var(--_mes-primary-on-surface));
  }
  [part~='check'] svg {
    width: 1rem;
    height: 1rem;
  }
  [aria-selected='false'] [part~='check'] svg {
    visibility: hidden;
  }
  .text {
    min-width: 0;
  }
  [part~='title'] {
    display: block;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part~='meta'] {
    display: block;
    font-size: 0.9em;
    color: var(--_mes-text-muted);
  }
  .dot {
    margin: 0 0.35em;
  }
  /* Forced colours draw no backgrounds: the selection shows as an outline instead. */
  @media (forced-colors: active) {
    [part~='item'][aria-selected='true'] {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
  }
  [part~='selection'] {
    margin: 0;
  }
  [part~='preview'] {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  [part~='preview-title'] {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part~='preview-status']:empty {
    display: none;
  }
  [part~='preview-status'] {
    margin: 0;
  }
  [part~='preview-frame'] {
    width: 100%;
    height: var(--mes-document-picker-preview-height, 28rem);
    border: 1px solid var(--mes-document-picker-border-color, var(--_mes-border));
  }
  [part~='preview-image'] {
    display: block;
    max-width: 100%;
    max-height: var(--mes-document-picker-preview-height, 28rem);
    object-fit: contain;
    border: 1px solid var(--mes-document-picker-border-color, var(--_mes-border));
  }
`;
