// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.
import { createComponent } from '@lit/react';
import * as React from 'react';
import { MesProvider as MesProviderElement } from '@mes-kit/elements/mes-provider.js';

/** `<mes-provider>` as a React component; it fires no event. */
export const MesProvider = createComponent({
  tagName: 'mes-provider',
  elementClass: MesProviderElement,
  react: React,
  displayName: 'MesProvider',
});
