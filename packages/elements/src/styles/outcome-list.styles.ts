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
    [part~='cancel'] {
      background: var(${token(`${panel}-background-color`)}, var(--mes-color-surface, #ffffff));
      color: var(${token('border-color')}, var(--mes-color-primary, #1d2a78));
    }
    .mark {
      width: 1.25em;
      height: 1.25em;
      flex: none;
      grid-column: 1;
      grid-row: 1;
    }
    [part='status'] {
      font-size: 0.9em;
      color: var(--mes-color-text-muted, #3a3a3a);
      max-width: 40rem;
    }
    [part='status']:empty {
      display: none;
    }
    :host(:state(success)) [part='status'],
    :host(:state(partial)) [part='status'] {
      font-weight: 600;
      color: var(--mes-color-text, #161616);
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
      gap: var(--mes-space-s, 0.5rem);
    }
    [part='progress'] {
      flex: 1 1 auto;
      height: 0.5rem;
      accent-color: var(${token('progress-color')}, var(--mes-color-primary, #1d2a78));
    }
    [part='${part}'] {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      width: min(var(${token(`${panel}-width`)}, 40rem), 100%);
      padding: 1rem 1.25rem;
      border: 1px solid var(--mes-color-border, #d5d8e3);
      border-radius: var(${token('radius')}, var(--mes-radius-m, 8px));
      background: var(${token(`${panel}-background-color`)}, var(--mes-color-surface, #ffffff));
    }
    [part='title'] {
      margin: 0;
      font-size: 1.2em;
      color: var(--mes-color-primary, #1d2a78);
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
      border-bottom: 1px solid var(--mes-color-border, #d5d8e3);
    }
    [part='item-title'] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [part='item'].done .mark {
      color: var(${token('success-color')}, var(--mes-color-success, #18753c));
    }
    [part='item'].failed .mark,
    [part='item'].failed [part='item-status'],
    [part='item-error'] {
      color: var(${token('error-color')}, var(--mes-color-danger, #b3261e));
    }
    [part='actions'] {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 0.75rem;
    }
    [part='error'] {
      margin: 0;
      color: var(${token('error-color')}, var(--mes-color-danger, #b3261e));
      font-size: 0.9em;
      max-width: 40rem;
    }
    a {
      color: var(--mes-color-link, var(--mes-color-primary, #1d2a78));
      display: inline-flex;
      align-items: center;
      min-height: 44px;
    }
  `;
}
