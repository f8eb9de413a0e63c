// The mes-kit tags in React 19's JSX: `import type {} from '@mes-kit/elements/jsx/react';` once.
// Properties by name, attributes by their own names, events as `on` + the event's name
// (`onmes-send-success`), as React 19 listens to a custom element's events.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MesElementEvents, MesElementProperties, MesElements } from '../dist/jsx.js';

type MesReactElements = {
  [Tag in keyof MesElements]: DetailedHTMLProps<HTMLAttributes<MesElements[Tag]>, MesElements[Tag]> &
    MesElementProperties[Tag] & {
      [Event in keyof MesElementEvents[Tag] as `on${Event & string}`]?: (event: MesElementEvents[Tag][Event]) => void;
    };
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements extends MesReactElements {}
  }
}
