/**
 * Story variants every component has, tagged so that the story test renders them as they are meant
 * to be seen (a 375 px wide page, Chromium's forced-colours emulation).
 */

/** A phone, 375 px wide: the `mobile` viewport of `.storybook/preview.ts`. */
export const MOBILE = {
  globals: { viewport: { value: 'mobile', isRotated: false } },
  tags: ['mobile'],
};

/**
 * Windows' high-contrast themes, as Chromium emulates them (DevTools › Rendering › « Emulate CSS media
 * feature forced-colors: active »): the page's colours give way to the system's few, so every state
 * must still be told by more than a colour — a border, a mark, a text.
 */
export const FORCED_COLORS = {
  tags: ['forced-colors'],
  parameters: {
    docs: {
      description: {
        story:
          'In forced colours, buttons are drawn in ButtonText on ButtonFace with a visible border, links in LinkText, ' +
          'the focus ring in Highlight, and the ✓ and ✗ marks in the text colour: success and failure are told by ' +
          'their mark and their words, not by green and red. Emulate it in Chromium: DevTools › Rendering › ' +
          '« Emulate CSS media feature forced-colors: active ».',
      },
    },
  },
};
