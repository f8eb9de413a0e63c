import { css } from 'lit';

/** What the agenda adds to the shared plan and outcome list (outcome-list.styles.ts). */
export const agendaSyncButtonStyles = css`
  /* One appointment, in MES's agenda now: the button says so, in the success colour. */
  :host([appointment-id]:state(success)) [part~='button'] {
    background: var(--mes-agenda-sync-button-background-color-success, var(--_mes-success));
    border-color: var(--mes-agenda-sync-button-background-color-success, var(--_mes-success));
    color: var(--_mes-on-success);
  }
  .download-icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  [part='unchanged'] {
    margin: 0;
    font-size: 0.9em;
    color: var(--_mes-text-muted);
  }
  [part='item'] {
    grid-template-columns: 1.25em 1fr auto;
    align-items: baseline;
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
    color: var(--_mes-text-muted);
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
    gap: var(--_mes-space-s);
  }
  [part='download'] {
    font-weight: 600;
  }
  /* The marks' column is there from the plan on: the titles do not move when the outcomes come. */
  [part='item'].planned {
    grid-template-columns: 1.25em 1fr auto;
  }
  [part='item'].planned [part='item-title'] {
    grid-column: 2;
  }
  [part='item'].planned [part='item-time'] {
    grid-column: 2 / -1;
  }
`;
