import { css } from 'lit';

/**
 * What every element shares: the global tokens with their defaults, the focus ring, and the hidden
 * attribute honoured. Component tokens fall back to these.
 */
export const hostStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--mes-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--mes-color-text, #161616);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  :focus-visible {
    outline: 3px solid var(--mes-focus-ring-color, #0a76f6);
    outline-offset: 2px;
  }
`;
