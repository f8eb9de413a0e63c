import { css } from 'lit';

/** The busy indicator every element shows while it works; still where motion is reduced. Sized by each element. */
export const spinnerStyles = css`
  [part~='spinner'] {
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: mes-spin 0.8s linear infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='spinner'] {
      animation: none;
      border-right-color: currentColor;
      opacity: 0.6;
    }
  }
  @keyframes mes-spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
