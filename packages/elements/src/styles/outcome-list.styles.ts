import { css, unsafeCSS } from 'lit';

/**
 * What an element shows before and after a run of many items (the agenda's plan, the measures'
 * preview): the panel with its title, summary and actions, the progress meter, the list of items
 * with their ✓/✗ marks, the status line and the error — on the element's own tokens:
 * `--mes-<element>-<panel>-width`, `-<panel>-background-color`, `-radius`, `-progress-color`,
 * `-success-color`, `-error-color`, `-border-color`. Each element documents them under its name.
 */
export function outcomeListStyles(element: string, panel: string) {
  const token = (name: string) => unsafeCSS(`--mes-${element}-${name}`);
  const part = unsafeCSS(panel);
  return css`
    /* The panel opens in a modal dialog (it arrives late: inline, it would push the page down); its own look is the dialog's. */
    [part='dialog'] {
      width: min(var(${token(`${panel}-width`)}, 40rem), calc(100vw - 2rem));
      max-height: calc(100dvh - 2rem);
      padding: 0;
      border: 0;
      border-radius: var(${token('radius')}, var(--_mes-radius));
      background: none;
      color: inherit;
      box-shadow: var(--_mes-shadow);
    }
    [part='dialog'] [part='${part}'] {
      width: 100%;
    }
    [part='dialog']::backdrop {
      background: var(--_mes-backdrop);
    }
    [part~='cancel'] {
      background: var(${token(`${panel}-background-color`)}, var(--_mes-surface));
      color: var(${token('border-color')}, var(--_mes-primary-on-surface));
    }
    .mark {
      width: 1.25em;
      height: 1.25em;
      flex: none;
      grid-column: 1;
      grid-row: 1;
      animation: mes-mark-in var(--_mes-duration) ease-out;
    }
    @keyframes mes-mark-in {
      from {
        opacity: 0;
        transform: scale(0.5);
      }
    }
    [part='status'] {
      font-size: 0.9em;
      color: var(--_mes-text-muted);
      max-width: 40rem;
    }
    [part='status']:empty {
      display: none;
    }
    :host(:state(success)) [part='status'],
    :host(:state(partial)) [part='status'] {
      font-weight: 600;
      color: var(--_mes-text);
    }
    /* The list keeps the panel's width once the panel goes: the rows do not jump when the outcomes come. */
    .meter,
    [part='base'] > [part='list'] {
      width: var(${token(`${panel}-width`)}, 40rem);
      max-width: 100%;
    }
    .meter {
      display: flex;
      align-items: center;
      gap: var(--_mes-space-s);
    }
    [part='progress'] {
      flex: 1 1 auto;
      height: 0.5rem;
      accent-color: var(${token('progress-color')}, var(--_mes-primary));
    }
    [part='${part}'] {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      width: min(var(${token(`${panel}-width`)}, 40rem), 100%);
      padding: 1rem 1.25rem;
      border: 1px solid var(--_mes-border);
      border-radius: var(${token('radius')}, var(--_mes-radius));
      background: var(${token(`${panel}-background-color`)}, var(--_mes-surface));
    }
    [part='title'] {
      margin: 0;
      font-size: 1.2em;
      color: var(--_mes-primary-on-surface);
    }
    [part='summary'] {
      margin: 0;
      font-weight: 600;
    }
    [part='list'] {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part='item'] {
      display: grid;
      gap: 0.125rem 0.5rem;
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--_mes-border);
    }
    [part='item-title'] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [part='item'].done .mark {
      color: var(${token('success-color')}, var(--_mes-success));
    }
    [part='item'].failed .mark,
    [part='item'].failed [part='item-status'],
    [part='item-error'] {
      color: var(${token('error-color')}, var(--_mes-danger));
    }
    [part='actions'] {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 0.75rem;
    }
    [part='error'] {
      margin: 0;
      color: var(${token('error-color')}, var(--_mes-danger));
      font-size: 0.9em;
      max-width: 40rem;
    }
    a {
      color: var(--_mes-link);
      display: inline-flex;
      align-items: center;
      min-height: 44px;
    }
  `;
}
