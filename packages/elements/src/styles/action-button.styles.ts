import { css, unsafeCSS } from 'lit';

/**
 * The buttons an element acts with (its main button, « Confirmer », « Annuler »…), and their icon and
 * busy indicator, on the element's
 * own tokens: `--mes-<element>-background-color`, `-background-color-hover`, `-color`,
 * `-border-color`, `-radius`. Each element documents them under its name.
 */
export function actionButtonStyles(element: string) {
  const token = (name: string) => unsafeCSS(`--mes-${element}-${name}`);
  return css`
    :host {
      display: inline-block;
      max-width: 100%;
    }
    [part='base'] {
      display: inline-flex;
      flex-direction: column;
      align-items: flex-start;
      gap: var(--mes-space-s, 0.5rem);
      max-width: 100%;
    }
    button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      gap: var(--mes-space-s, 0.5rem);
      min-height: 44px;
      min-width: 44px;
      padding: 0.5rem 1.25rem;
      border: 2px solid var(${token('border-color')}, var(--mes-color-primary, #1d2a78));
      border-radius: var(${token('radius')}, var(--mes-radius-m, 8px));
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    [part~='button'],
    [part~='confirm'] {
      background: var(${token('background-color')}, var(--mes-color-primary, #1d2a78));
      color: var(${token('color')}, var(--mes-color-on-primary, #ffffff));
    }
    [part~='button']:hover:not([aria-disabled='true']),
    [part~='confirm']:hover:not([aria-disabled='true']) {
      background: var(${token('background-color-hover')}, var(--mes-color-primary-hover, #131c55));
    }
    button[aria-disabled='true'] {
      cursor: default;
      opacity: 0.85;
    }
    [part='icon'],
    [part='spinner'] {
      width: 1.25em;
      height: 1.25em;
      flex: none;
    }
  `;
}
