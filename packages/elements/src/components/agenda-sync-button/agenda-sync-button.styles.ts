import { css } from 'lit';

/** What the agenda adds to the shared plan and outcome list (outcome-list.styles.ts). */
export const agendaSyncButtonStyles = css`
  /* One appointment, in MES's agenda now: the button says so, in the success colour. */
  :host([appointment-id]:state(success)) [part~='button'] {
    background: var(--mes-agenda-sync-button-background-color-success, var(--mes-color-success, #18753c));
    border-color: var(--mes-agenda-sync-button-background-color-success, var(--mes-color-success, #18753c));
    opacity: 1;
  }
  .download-icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  [part='percent'] {
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
    min-width: 3.5em;
    text-align: end;
  }
  [part='unchanged'] {
    margin: 0;
    font-size: 0.9em;
    color: var(--mes-color-text-muted, #3a3a3a);
  }
  [part='item'] {
    grid-template-columns: 1.25em 1fr auto;
    align-items: baseline;
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
    align-self: center;
  }
  [part='item'].failed [part='item-status'] {
    font-weight: 600;
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
    gap: var(--mes-space-s, 0.5rem);
  }
  [part='download'] {
    font-weight: 600;
  }
`;
