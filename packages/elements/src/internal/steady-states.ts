/**
 * What keeps an element still while its state changes, so that nothing on the page moves under the
 * patient's eyes or pointer: a button as wide as its widest label, a line below it that holds its
 * height from the first render (the progress, the outcome, the error, the reason to wait), and the
 * ✓ and ✗ marks that say how it ended.
 */
import { css, html, nothing, svg } from 'lit';
import { keyed } from 'lit/directives/keyed.js';

export const CHECK_ICON = svg`<path fill="currentColor" d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 10-10-1.4-1.4z"/>`;
export const CROSS_ICON = svg`<path fill="currentColor" d="M6.4 5 5 6.4l5.6 5.6L5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"/>`;

/**
 * What a place says now, over every text it may say laid in the same cell, unseen and unread
 * (drawn from an attribute: they are no text of the element's): the cell keeps the width of the
 * widest, whichever it says. A new text is a new node: a text changed in place would move its first
 * letter (in a centred label, or in a cell that resized), and a moved text is a layout shift.
 */
export function steadyText(current: string, texts: readonly string[], part?: string) {
  return html`<span class="steady"
    >${texts.map((text) => html`<span class="unseen" data-text=${text}></span>`)}${keyed(
      current,
      html`<span part=${part ?? nothing}>${current}</span>`,
    )}</span
  >`;
}

/** The button's label among every other it may show: the button keeps the width of the widest. */
export const steadyLabel = (current: string, labels: readonly string[]) => steadyText(current, labels, 'label');

/** ✓ or ✗ before what the text says (the text says it too: the mark is not read). */
export function outcomeMark(outcome: 'done' | 'failed' | undefined) {
  if (!outcome) return nothing;
  return html`<svg class=${`outcome-mark ${outcome}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    ${outcome === 'done' ? CHECK_ICON : CROSS_ICON}
  </svg>`;
}

export const steadyStyles = css`
  .steady {
    display: inline-grid;
  }
  .steady > * {
    grid-area: 1 / 1;
    align-self: center;
  }
  button .steady {
    text-align: center;
  }
  .unseen {
    visibility: hidden;
  }
  .unseen::before {
    content: attr(data-text);
  }
  /*
   * Below the button, from the first render: two lines of text (three on a narrow screen) or a 44 px
   * link, whichever is taller. It takes the button's width, not its own, so that a long message wraps
   * rather than widens the element.
   */
  .feedback {
    display: flex;
    flex-direction: column;
    justify-content: flex-start;
    gap: 0.25rem;
    width: 0;
    min-width: 100%;
    min-height: max(44px, calc(2lh + 0.25rem));
    font-size: 0.9em;
  }
  /* Narrow, an error takes a third line. */
  @media (max-width: 40rem) {
    .feedback {
      min-height: max(44px, calc(3lh + 0.25rem));
    }
  }
  .feedback > * {
    animation: mes-appear var(--_mes-duration) ease-out;
  }
  .feedback [part='error'],
  .feedback [part='status'],
  .feedback .waiting {
    font-size: 1em;
    max-width: none;
  }
  .feedback [part='error'],
  .feedback .waiting {
    display: flex;
    align-items: flex-start;
    gap: 0.375rem;
    margin: 0;
  }
  .waiting {
    color: var(--_mes-text-muted);
  }
  .outcome-mark {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  .outcome-mark.done {
    color: var(--_mes-success);
  }
  .outcome-mark.failed {
    color: var(--_mes-danger);
  }
  .meter {
    display: flex;
    align-items: center;
    gap: var(--_mes-space-s);
    min-height: 1lh;
  }
  .meter [part='progress'] {
    flex: 1 1 auto;
    min-width: 0;
    width: auto;
    height: 0.5rem;
  }
  [part='percent'] {
    flex: none;
    font-variant-numeric: tabular-nums;
    min-width: 3.5em;
    /* From its start: a number right-aligned would move its first digit as it grows. */
    text-align: start;
  }
  /* Moved, not faded: the text is at full contrast from its first frame. */
  @keyframes mes-appear {
    from {
      transform: translateY(-0.25rem);
    }
  }
`;
