// The mes-kit tags in Vue templates (vue-tsc): `import type {} from '@mes-kit/elements/jsx/vue';` once,
// and `compilerOptions.isCustomElement: (tag) => tag.startsWith('mes-')` in Vue's config.
// `@mes-send-success` is checked as `onMesSendSuccess`, as Vue names a listener.
import type { HTMLAttributes } from 'vue';
import type { MesElementEvents, MesElementProperties, MesElements } from '../dist/jsx.js';

type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : Name;

type MesVueElements = {
  [Tag in keyof MesElements]: new () => MesElements[Tag] & {
    /** For templates only: what the tag takes and its listeners. */
    $props: HTMLAttributes &
      MesElementProperties[Tag] & {
        [Event in keyof MesElementEvents[Tag] as `on${Capitalize<CamelCase<Event & string>>}`]?: (
          event: MesElementEvents[Tag][Event],
        ) => void;
      };
  };
};

declare module 'vue' {
  interface GlobalComponents extends MesVueElements {}
}
