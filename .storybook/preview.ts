import type { Preview } from '@storybook/web-components-vite';
import '../demo/portal.css';

const preview: Preview = {
  parameters: { a11y: { test: 'error' }, layout: 'padded' },
  globalTypes: {
    brand: {
      description: 'Portal brand (custom properties only)',
      toolbar: { title: 'Brand', items: ['lumiere', 'tilleuls'], dynamicTitle: true },
    },
    locale: {
      description: 'Language',
      toolbar: { title: 'Language', items: ['fr', 'en'], dynamicTitle: true },
    },
  },
  initialGlobals: { brand: 'lumiere', locale: 'fr' },
};
export default preview;
