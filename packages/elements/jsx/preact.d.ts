// The mes-kit tags in Preact's JSX: `import type {} from '@mes-kit/elements/jsx/preact';` once.
// Events as `on` + the event's name (`onmes-send-success`), as Preact listens to them.
import type { JSX } from 'preact';
import type { MesElementEvents, MesElementProperties, MesElements } from '../dist/jsx.js';

type MesPreactElements = {
  [Tag in keyof MesElements]: JSX.HTMLAttributes<MesElements[Tag]> &
    MesElementProperties[Tag] & {
      [Event in keyof MesElementEvents[Tag] as `on${Event & string}`]?: (event: MesElementEvents[Tag][Event]) => void;
    };
};

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements extends MesPreactElements {}
  }
}
