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
      gap: var(--_mes-space-s);
      max-width: 100%;
    }
    button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      gap: var(--_mes-space-s);
      min-height: 44px;
      min-width: 44px;
      padding: 0.5rem 1.25rem;
      border: 2px solid var(${token('border-color')}, var(--_mes-primary));
      border-radius: var(${token('radius')}, var(--_mes-radius));
      font: inherit;
      font-weight: 600;
      cursor: pointer;
      transition:
        background-color var(--_mes-duration),
        border-color var(--_mes-duration),
        color var(--_mes-duration),
        opacity var(--_mes-duration);
    }
    [part~='button'],
    [part~='confirm'] {
      background: var(${token('background-color')}, var(--_mes-primary));
      color: var(${token('color')}, var(--_mes-on-primary));
    }
    [part~='button']:hover:not([aria-disabled='true']),
    [part~='confirm']:hover:not([aria-disabled='true']) {
      background: var(${token('background-color-hover')}, var(--_mes-primary-hover));
    }
    button[aria-disabled='true'] {
      cursor: default;
    }
    /* Dimmed while it works; once done, at full strength: its label (« Envoyé ») is read. */
    :host(:state(pending)) [part~='button'] {
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
