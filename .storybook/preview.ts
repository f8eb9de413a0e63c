import { Controls, Description, Primary, Title } from '@storybook/addon-docs/blocks';
import type { Decorator, Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { createElement, Fragment } from 'react';
import '../demo/portal.css';
import { componentArgTypes, componentDescription } from '../stories/_helpers/component-docs.js';

/** The theme as CSS says it: the elements follow their page's `color-scheme`. */
const COLOR_SCHEMES: Record<string, string> = { light: 'light', dark: 'dark', auto: 'light dark' };

/**
 * A component's page: what it is, its first story live with the scenario controls, then its API from
 * the manifest. Every other state is a story of its own in the sidebar (several live at once would
 * share the focus and the MES window).
 */
const componentPage = () =>
  createElement(
    Fragment,
    null,
    createElement(Title),
    createElement(Description),
    createElement(Primary),
    createElement(Controls),
  );

/**
 * Every story inside the portal, as the toolbar has it: its brand's tokens, its language, its theme.
 * The frame is the canvas: the brand's surface in light, a dark page in dark.
 */
const withPortal: Decorator = (story, { globals, viewMode }) =>
  html`<div
    class="mes-story"
    data-brand=${globals.brand}
    lang=${globals.locale}
    style="color-scheme: ${COLOR_SCHEMES[String(globals.theme)] ?? 'light'}; min-height: ${
      viewMode === 'story' ? '100vh' : 'auto'
    }; padding: 1rem; background: light-dark(var(--brand-surface), #14161c); color: light-dark(#1e1e1e, #eceef4)"
  >
    ${story()}
  </div>`;

const preview: Preview = {
  tags: ['autodocs'],
  decorators: [withPortal],
  parameters: {
    a11y: { test: 'error' },
    layout: 'fullscreen',
    docs: {
      page: componentPage,
      story: { autoplay: true },
      extractArgTypes: componentArgTypes,
      extractComponentDescription: componentDescription,
    },
    viewport: {
      options: {
        mobile: { name: 'Mobile (375 px)', styles: { width: '375px', height: '740px' }, type: 'mobile' },
        tablet: { name: 'Tablet (768 px)', styles: { width: '768px', height: '1024px' }, type: 'tablet' },
      },
    },
  },
  globalTypes: {
    brand: {
      description: 'Portal brand (custom properties only)',
      toolbar: { title: 'Brand', icon: 'paintbrush', items: ['lumiere', 'tilleuls'], dynamicTitle: true },
    },
    locale: {
      description: 'Language',
      toolbar: { title: 'Language', icon: 'globe', items: ['fr', 'en'], dynamicTitle: true },
    },
    theme: {
      description: 'Theme: light, dark, or as the system is (prefers-color-scheme)',
      toolbar: { title: 'Theme', icon: 'contrast', items: ['light', 'dark', 'auto'], dynamicTitle: true },
    },
  },
  initialGlobals: { brand: 'lumiere', locale: 'fr', theme: 'light' },
};
export default preview;
