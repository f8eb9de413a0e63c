import { css } from 'lit';

/** What an element's `theme` attribute may say. */
export type Theme = 'light' | 'dark' | 'auto';

/**
 * What every element shares: the theme, the global tokens resolved once, the focus ring, and the
 * hidden attribute honoured.
 *
 * The theme is CSS's own `color-scheme`: an element follows its page (`color-scheme: light dark` on
 * the page follows the system), or its `theme` attribute (`light | dark | auto`). Every colour is a
 * `light-dark()` pair, so a host that sets one value gets both themes: in the dark one, its primary
 * colour is lifted to a light tint of the same hue; its hover, its tint, the text on it and the colour
 * it is drawn in on the surface derive from it, so that any brand colour stays legible (text on a
 * colour is white or black, whichever reads better; on a light surface, the primary colour is
 * darkened if it must be).
 * A host may give its own pair: `--mes-color-primary: light-dark(<light>, <dark>)`.
 *
 * Component styles read only the `--_mes-*` names below (private: resolved here, from the public
 * `--mes-*` tokens), behind their own component tokens.
 */
export const hostStyles = css`
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  :host {
    --_mes-brand: var(--mes-color-primary, #1d2a78);
    --_mes-primary: light-dark(var(--_mes-brand), oklch(from var(--_mes-brand) max(l, 0.78) min(c, 0.12) h));
    --_mes-primary-hover: var(
      --mes-color-primary-hover,
      light-dark(
        color-mix(in oklab, var(--_mes-primary) 78%, black),
        color-mix(in oklab, var(--_mes-primary) 75%, white)
      )
    );
    /* White or black, whichever reads better on the colour: the two cross at an OKLCH lightness of 0.5636. */
    --_mes-on-primary: var(
      --mes-color-on-primary,
      oklch(from var(--_mes-primary) clamp(0, (0.5636 - l) * 1000, 1) 0 0)
    );
    /* The primary colour drawn on the surface (text, borders, a switch's track): 4.5:1 on the default surfaces. */
    --_mes-primary-on-surface: light-dark(oklch(from var(--_mes-brand) min(l, 0.5) c h), var(--_mes-primary));
    --_mes-surface: var(--mes-color-surface, light-dark(#ffffff, #1b1d24));
    --_mes-primary-subtle: var(
      --mes-color-primary-subtle,
      light-dark(
        color-mix(in oklab, var(--_mes-primary) 8%, var(--_mes-surface)),
        color-mix(in oklab, var(--_mes-primary) 16%, var(--_mes-surface))
      )
    );
    --_mes-neutral-subtle: var(--mes-color-neutral-subtle, light-dark(#eceef3, #2a2d37));
    --_mes-text: var(--mes-color-text, light-dark(#161616, #eceef4));
    --_mes-text-muted: var(--mes-color-text-muted, light-dark(#3a3a3a, #c4c7d2));
    --_mes-border: var(--mes-color-border, light-dark(#d5d8e3, #454a5a));
    --_mes-control: var(--mes-color-control, light-dark(#6a6f80, #9aa0b4));
    --_mes-success: var(--mes-color-success, light-dark(#18753c, #6fdc98));
    --_mes-on-success: oklch(from var(--_mes-success) clamp(0, (0.5636 - l) * 1000, 1) 0 0);
    --_mes-danger: var(--mes-color-danger, light-dark(#b3261e, #ff9a90));
    --_mes-link: var(--mes-color-link, var(--_mes-primary-on-surface));
    --_mes-focus-ring: var(--mes-focus-ring-color, light-dark(#0a76f6, #7cb8ff));
    --_mes-backdrop: var(--mes-color-backdrop, light-dark(rgb(22 22 22 / 0.55), rgb(0 0 0 / 0.7)));
    --_mes-shadow: var(--mes-shadow-m, 0 0.5rem 2rem rgb(0 0 0 / 0.25));
    --_mes-radius: var(--mes-radius-m, 8px);
    --_mes-radius-s: var(--mes-radius-s, calc(var(--_mes-radius) / 2));
    --_mes-space-s: var(--mes-space-s, 0.5rem);
    --_mes-duration: var(--mes-transition-duration, 150ms);

    box-sizing: border-box;
    font-family: var(--mes-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_mes-text);
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_mes-duration: 0s;
    }
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
    outline: 3px solid var(--_mes-focus-ring);
    outline-offset: 2px;
  }
`;
