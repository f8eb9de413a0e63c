import { css } from 'lit';

/** What the measures add to the shared preview and outcome list (outcome-list.styles.ts): a trend per measure. */
export const sendMeasuresButtonStyles = css`
  [part='counter'] {
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  [part='item'] {
    grid-template-columns: 1.25em minmax(0, 1fr) 6rem;
    align-items: center;
    gap: 0.125rem 0.75rem;
  }
  /* In the preview, no mark yet: no empty column either. */
  [part='item'].planned {
    grid-template-columns: minmax(0, 1fr) 6rem;
  }
  [part='item-title'],
  [part='item-range'],
  [part='item-status'],
  [part='item-error'] {
    grid-column: -3;
  }
  [part='item-range'],
  [part='item-error'] {
    font-size: 0.9em;
  }
  [part='item-range'] {
    color: var(--_mes-text-muted);
  }
  [part='item-status'] {
    font-size: 0.9em;
    font-weight: 600;
  }
  [part='item'].planned [part='item-status'] {
    font-weight: normal;
    color: var(--_mes-text-muted);
  }
  /* A measure the patient did not allow: said plainly, not in the error colour. */
  [part='item'].refused .mark,
  [part='item'].refused [part='item-status'],
  [part='item'].refused [part='item-error'] {
    color: var(--_mes-text-muted);
  }
  [part='sparkline'] {
    grid-column: -2;
    grid-row: 1 / span 2;
    width: 6rem;
    height: 2rem;
    overflow: visible;
    color: var(--mes-send-measures-button-sparkline-color, var(--_mes-primary-on-surface));
  }
  [part='sparkline'] polyline {
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linejoin: round;
    stroke-linecap: round;
    vector-effect: non-scaling-stroke;
  }
  @media (max-width: 30rem) {
    [part='item'] {
      grid-template-columns: 1.25em minmax(0, 1fr) 4rem;
    }
    [part='item'].planned {
      grid-template-columns: minmax(0, 1fr) 4rem;
    }
    [part='sparkline'] {
      width: 4rem;
    }
  }
  /* The marks' column is there from the preview on: the measures do not move when the outcomes come. */
  [part='item'].planned {
    grid-template-columns: 1.25em minmax(0, 1fr) 6rem;
  }
  @media (max-width: 30rem) {
    [part='item'].planned {
      grid-template-columns: 1.25em minmax(0, 1fr) 4rem;
    }
  }
`;
