import { css } from 'lit';

export const consentPromptStyles = css`
  :host {
    display: block;
    max-width: 44rem;
  }
  [part='base'] {
    background: var(--mes-consent-prompt-background-color, var(--_mes-surface));
    border: 1px solid var(--mes-consent-prompt-border-color, var(--_mes-border));
    border-radius: var(--mes-consent-prompt-radius, var(--_mes-radius));
    padding: 1rem 1.25rem;
  }
  [part='base'] > :last-child {
    margin-bottom: 0;
  }
  [part='title'] {
    margin: 0 0 0.5rem;
    font-size: 1.2em;
    color: var(--_mes-primary-on-surface);
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
    border-bottom: 1px solid var(--_mes-border);
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
    color: var(--_mes-text-muted);
    font-size: 0.9em;
  }
  input[role='switch'] {
    appearance: none;
    width: 4rem;
    height: 2.75rem;
    margin: 0;
    border-radius: 999px;
    background: var(--mes-consent-prompt-switch-background-color, var(--_mes-control));
    position: relative;
    cursor: pointer;
    transition: background-color var(--_mes-duration);
  }
  input[role='switch']::after {
    content: '';
    position: absolute;
    top: 0.375rem;
    left: 0.375rem;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    background: var(--mes-consent-prompt-switch-thumb-color, var(--_mes-on-primary));
    transition: transform var(--_mes-duration);
  }
  input[role='switch']:checked {
    background: var(--mes-consent-prompt-switch-background-color-checked, var(--_mes-primary-on-surface));
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
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1.25rem;
    border-radius: var(--mes-consent-prompt-button-radius, var(--_mes-radius));
    border: 2px solid var(--_mes-primary-on-surface);
    background: var(--mes-consent-prompt-button-background-color, var(--_mes-surface));
    color: var(--_mes-primary-on-surface);
    cursor: pointer;
    transition:
      background-color var(--_mes-duration),
      border-color var(--_mes-duration),
      color var(--_mes-duration);
  }
  button.primary {
    border-color: var(--_mes-primary);
    background: var(--_mes-primary);
    color: var(--_mes-on-primary);
  }
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: default;
  }
  a {
    color: var(--_mes-link);
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  /* Always in the DOM (live region); only drawn as a notice when it has something to say. */
  [part='status']:not(:empty) {
    margin-bottom: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 4px solid var(--_mes-primary-on-surface);
    background: var(--mes-consent-prompt-notice-background-color, var(--_mes-primary-subtle));
    font-weight: 600;
  }
  [part='error'] {
    color: var(--_mes-danger);
  }
  /* One layout for every state, so that the prompt keeps its size from one to the next. */
  [part='title'] {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .mark {
    flex: none;
    width: 1.5em;
    height: 1.5em;
  }
  .mark-ground {
    fill: var(--_mes-primary);
  }
  .mark-figure {
    fill: var(--_mes-on-primary);
  }
  .intro {
    margin: 0 0 0.75rem;
  }
  legend,
  .legend {
    padding: 0;
    font-weight: 600;
    margin: 0 0 0.5rem;
  }
  ul[part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .item .name {
    display: flex;
    align-items: center;
    align-self: center;
    min-height: 44px;
    font-weight: 600;
  }
  /* A finalité's ✓, ✗ or ! takes the place and the size of its switch. */
  .standing {
    display: grid;
    place-items: center;
    width: 4rem;
    height: 2.75rem;
  }
  .standing svg {
    width: 2rem;
    height: 2rem;
    padding: 0.25rem;
    border: 2px solid;
    border-radius: 50%;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.5;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .granted .standing {
    color: var(--_mes-success);
  }
  .not-granted .standing {
    color: var(--_mes-text-muted);
  }
  .to-confirm .standing {
    color: var(--_mes-danger);
  }
  /* The status, the error or the hint: one line kept for them, the notice's height. */
  .message {
    min-height: calc(1lh + 1rem);
    margin-top: 0.75rem;
  }
  .message > *,
  .message > [part='status'] {
    margin: 0;
  }
  .hint,
  .message > [part='error'] {
    padding: 0.5rem 0;
  }
  /* Two rows of buttons kept, whichever state shows fewer. */
  .actions {
    display: grid;
    margin-top: 0.75rem;
    align-content: start;
    gap: 0.75rem;
    min-height: calc(2 * 44px + 0.75rem);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
  }
  .row.equal button {
    flex: 1 1 0;
  }
  .recovery {
    margin-top: 0.75rem;
  }
  /* One link a line, two lines kept: the terms of use or the settings in MES, and what MES is. */
  .links {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    min-height: calc(2 * 44px);
    margin: 0.5rem 0 0;
  }
  button.danger {
    border-color: var(--_mes-danger);
    background: var(--_mes-danger);
    color: var(--_mes-surface);
  }
  dialog {
    max-width: min(32rem, calc(100vw - 2rem));
    padding: 1.25rem;
    border: 1px solid var(--_mes-border);
    border-radius: var(--_mes-radius);
    background: var(--_mes-surface);
    color: var(--_mes-text);
    box-shadow: var(--_mes-shadow);
  }
  /* Centred by the browser's own margins, which the last child's rule above would take away. */
  [part='base'] > [part='dialog'] {
    margin: auto;
  }
  dialog::backdrop {
    background: var(--_mes-backdrop);
  }
  dialog h3 {
    margin: 0 0 0.5rem;
    font-size: 1.1em;
  }
  dialog .row {
    justify-content: flex-end;
    margin-top: 1rem;
  }
  /*
   * The skeleton: the final layout, its words hidden and drawn as quiet bars (lines of text, the
   * shapes of the controls), gently pulsing unless motion is reduced.
   */
  .skeleton {
    animation: mes-skeleton calc(var(--_mes-duration) * 8) ease-in-out infinite alternate;
  }
  .skeleton :is(p, legend, label, a, button, input) {
    visibility: hidden;
    position: relative;
  }
  .skeleton :is(p, legend, label, a, button, input)::after {
    content: '';
    visibility: visible;
    position: absolute;
    inset: 0;
    transform: none;
    border-radius: var(--_mes-radius);
    background: var(--_mes-neutral-subtle);
  }
  .skeleton :is(p, legend, label, a)::after {
    border-radius: 0;
    background: repeating-linear-gradient(
      to bottom,
      var(--_mes-neutral-subtle) 0 0.75lh,
      var(--_mes-surface) 0.75lh 1lh
    );
  }
  .skeleton label::after,
  .skeleton a::after {
    inset: calc(50% - 0.4lh) 0 auto;
    height: 0.75lh;
  }
  .skeleton input::after {
    width: auto;
    height: auto;
    border-radius: 999px;
  }
  /* Headings take the focus only to say where the patient is: not a control, no ring. */
  [part='title']:focus,
  dialog h3:focus {
    outline: none;
  }
  @keyframes mes-skeleton {
    to {
      opacity: 0.55;
    }
  }
  @media (forced-colors: active) {
    .mark-ground {
      fill: CanvasText;
    }
    .mark-figure {
      fill: Canvas;
    }
    .skeleton :is(p, legend, label, a, button, input)::after {
      background: GrayText;
    }
  }
`;
