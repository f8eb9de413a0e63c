import { css } from 'lit';

export const agendaSyncButtonStyles = css`
  [part~='cancel'] {
    background: var(--mes-agenda-sync-button-plan-background-color, var(--mes-color-surface, #ffffff));
    color: var(--mes-agenda-sync-button-border-color, var(--mes-color-primary, #1d2a78));
  }
  /* One appointment, in MES's agenda now: the button says so, in the success colour. */
  :host([appointment-id]:state(success)) [part~='button'] {
    background: var(--mes-agenda-sync-button-background-color-success, var(--mes-color-success, #18753c));
    border-color: var(--mes-agenda-sync-button-background-color-success, var(--mes-color-success, #18753c));
    opacity: 1;
  }
  .mark,
  .download-icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
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
  /* The list keeps the plan's width once the plan goes: the rows do not jump when the outcomes come. */
  .meter,
  [part='base'] > [part='list'] {
    width: var(--mes-agenda-sync-button-plan-width, 40rem);
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
    accent-color: var(--mes-agenda-sync-button-progress-color, var(--mes-color-primary, #1d2a78));
  }
  [part='percent'] {
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
    min-width: 3.5em;
    text-align: end;
  }
  [part='plan'] {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    width: min(var(--mes-agenda-sync-button-plan-width, 40rem), 100%);
    padding: 1rem 1.25rem;
    border: 1px solid var(--mes-color-border, #d5d8e3);
    border-radius: var(--mes-agenda-sync-button-radius, var(--mes-radius-m, 8px));
    background: var(--mes-agenda-sync-button-plan-background-color, var(--mes-color-surface, #ffffff));
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
  [part='unchanged'] {
    margin: 0;
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='item'] {
    display: grid;
    grid-template-columns: 1.25em 1fr auto;
    align-items: baseline;
    gap: 0.125rem 0.5rem;
    padding: 0.5rem 0;
    border-bottom: 1px solid var(--mes-color-border, #d5d8e3);
  }
  /* In the plan, no mark yet: no empty column either. */
  [part='item'].planned {
    grid-template-columns: 1fr auto;
  }
  [part='item'].planned [part='item-title'] {
    grid-column: 1;
  }
  [part='item'].planned [part='item-time'] {
    grid-column: 1 / -1;
  }
  [part='item-title'] {
    grid-column: 2;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part='item-status'] {
    grid-column: -2;
    font-size: 0.9em;
    white-space: nowrap;
  }
  [part='item-time'],
  [part='item-error'] {
    grid-column: 2 / -1;
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  .was {
    text-decoration: line-through;
  }
  .mark {
    grid-column: 1;
    grid-row: 1;
    align-self: center;
  }
  [part='item'].done .mark {
    color: var(--mes-agenda-sync-button-success-color, var(--mes-color-success, #18753c));
  }
  [part='item'].failed .mark,
  [part='item'].failed [part='item-status'],
  [part='item-error'] {
    color: var(--mes-agenda-sync-button-error-color, var(--mes-color-danger, #b3261e));
  }
  [part='item'].failed [part='item-status'] {
    font-weight: 600;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.75rem;
  }
  [part='error'] {
    margin: 0;
    color: var(--mes-agenda-sync-button-error-color, var(--mes-color-danger, #b3261e));
    font-size: 0.9em;
    max-width: 40rem;
  }
  [part='calendar'] {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.25rem;
    max-width: 40rem;
  }
  [part='calendar-text'] {
    margin: 0;
    font-size: 0.9em;
  }
  a {
    color: var(--mes-color-link, var(--mes-color-primary, #1d2a78));
    display: inline-flex;
    align-items: center;
    gap: var(--mes-space-s, 0.5rem);
    min-height: 44px;
  }
  [part='download'] {
    font-weight: 600;
  }
`;
