import { css } from 'lit';

export const consentPromptStyles = css`
  :host {
    display: block;
    max-width: 44rem;
  }
  [part='base'] {
    background: var(--mes-consent-prompt-background-color, var(--mes-color-surface, #ffffff));
    border: 1px solid var(--mes-consent-prompt-border-color, var(--mes-color-border, #d5d8e3));
    border-radius: var(--mes-consent-prompt-radius, var(--mes-radius-m, 8px));
    padding: 1rem 1.25rem;
  }
  [part='base'] > :last-child {
    margin-bottom: 0;
  }
  [part='title'] {
    margin: 0 0 0.5rem;
    font-size: 1.2em;
    color: var(--mes-color-primary, #1d2a78);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
  }
  legend {
    font-weight: 600;
    margin-bottom: 0.5rem;
  }
  .item {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 0.75rem;
    padding: 0.5rem 0;
    border-bottom: 1px solid var(--mes-color-border, #d5d8e3);
  }
  .item label {
    display: flex;
    align-items: center;
    align-self: center;
    min-height: 44px;
    font-weight: 600;
  }
  .details {
    grid-column: 2;
  }
  .details p {
    margin: 0.15rem 0;
  }
  .meta {
    color: var(--mes-color-text-muted, #3a3a3a);
    font-size: 0.9em;
  }
  input[role='switch'] {
    appearance: none;
    width: 4rem;
    height: 2.75rem;
    margin: 0;
    border-radius: 999px;
    background: var(--mes-consent-prompt-switch-background-color, #6a6f80);
    position: relative;
    cursor: pointer;
  }
  input[role='switch']::after {
    content: '';
    position: absolute;
    top: 0.375rem;
    left: 0.375rem;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    background: var(--mes-consent-prompt-switch-thumb-color, var(--mes-color-on-primary, #ffffff));
    transition: transform 0.15s;
  }
  input[role='switch']:checked {
    background: var(--mes-consent-prompt-switch-background-color-checked, var(--mes-color-primary, #1d2a78));
  }
  input[role='switch']:checked::after {
    transform: translateX(1.25rem);
  }
  /* Forced colours draw no backgrounds: the native checkbox shows the state instead. */
  @media (forced-colors: active) {
    input[role='switch'] {
      appearance: auto;
      width: 1.5rem;
      height: 1.5rem;
    }
    input[role='switch']::after {
      display: none;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    input[role='switch']::after {
      transition: none;
    }
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    margin-top: 0.75rem;
  }
  .actions.equal button {
    flex: 1 1 0;
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1.25rem;
    border-radius: var(--mes-consent-prompt-button-radius, var(--mes-radius-m, 8px));
    border: 2px solid var(--mes-color-primary, #1d2a78);
    background: var(--mes-consent-prompt-button-background-color, var(--mes-color-surface, #ffffff));
    color: var(--mes-color-primary, #1d2a78);
    cursor: pointer;
  }
  button.primary {
    background: var(--mes-color-primary, #1d2a78);
    color: var(--mes-color-on-primary, #ffffff);
  }
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: default;
  }
  a {
    color: var(--mes-color-link, var(--mes-color-primary, #1d2a78));
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  .muted {
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  /* Always in the DOM (live region); only drawn as a notice when it has something to say. */
  [part='status']:not(:empty) {
    margin-bottom: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 4px solid var(--mes-color-primary, #1d2a78);
    background: var(--mes-consent-prompt-notice-background-color, var(--mes-color-primary-subtle, #eef0fa));
    font-weight: 600;
  }
  [part='error'] {
    color: var(--mes-color-danger, #b3261e);
  }
`;
