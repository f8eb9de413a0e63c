// The mes-kit tags in Svelte 5 templates: `import type {} from '@mes-kit/elements/jsx/svelte';` once.
// Events as `on` + the event's name (`onmes-send-success`), as Svelte 5 listens to them.
import type { HTMLAttributes } from 'svelte/elements';
import type { MesElementEvents, MesElementProperties, MesElements } from '../dist/jsx.js';

type MesSvelteElements = {
  [Tag in keyof MesElements]: HTMLAttributes<MesElements[Tag]> &
    MesElementProperties[Tag] & {
      [Event in keyof MesElementEvents[Tag] as `on${Event & string}`]?: (event: MesElementEvents[Tag][Event]) => void;
    };
};

declare module 'svelte/elements' {
  interface SvelteHTMLElements extends MesSvelteElements {}
}
