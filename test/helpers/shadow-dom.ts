/** What element tests read of a component: its parts, their text, its states, the focus, its manifest entry. */
import type { LitElement } from 'lit';

export const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
export const parts = (el: Element, name: string) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];
/** An element's text as a patient reads it: spaces collapsed. */
export const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Which of these custom states the element is in now, in their order. */
export const statesOf = (el: Element, names: readonly string[]) =>
  names.filter((name) => el.matches(`:state(${name})`));

/** Whatever has the focus, through shadow roots. */
export function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

interface Declaration {
  cssProperties: { name: string }[];
  cssStates: { name: string }[];
}

/** What custom-elements.json says of a tag: its documented tokens and states. */
export async function declarationOf(tag: string): Promise<Declaration> {
  const manifest = (await (await fetch('/packages/elements/custom-elements.json')).json()) as {
    modules: { declarations?: (Declaration & { tagName?: string })[] }[];
  };
  return manifest.modules.flatMap((module) => module.declarations ?? []).find((d) => d.tagName === tag)!;
}

/** The component tokens (`--<tag>-*`) its style sheets use, sorted. */
export function tokensUsed(element: typeof LitElement, tag: string): string[] {
  const css = element.elementStyles
    .map((style) => style as CSSStyleSheet | { cssText: string })
    .map((style) => ('cssText' in style ? style.cssText : [...style.cssRules].map((rule) => rule.cssText).join('')))
    .join('');
  return [...new Set(css.match(new RegExp(`--${tag}-[\\w-]+`, 'g')))].sort();
}
