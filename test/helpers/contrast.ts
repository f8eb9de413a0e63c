/**
 * WCAG contrast, measured on the page as it is painted: text (1.4.3, 4.5:1, or 3:1 for large text),
 * the boundaries of controls and the focus ring (1.4.11, 3:1).
 */
import type { Page } from 'playwright';

export interface ContrastProblem {
  /** What was measured: a text, a control's boundary, the focus ring. */
  kind: 'text' | 'boundary' | 'focus';
  /** Where: the shadow hosts on the way, then the element's last ancestors. */
  path: string;
  /** The text, or the control's name. */
  text: string;
  ratio: number;
  required: number;
  /** The colours compared, as painted (sRGB). */
  fg: string;
  bg: string;
}

export interface ContrastOptions {
  /**
   * Also check disabled controls (`disabled`, `aria-disabled="true"`), which WCAG exempts: for a
   * button that keeps showing a state (« Envoyé ») while it cannot be pressed.
   */
  includeDisabled?: boolean;
}

/**
 * Every contrast problem on the page, through open shadow roots. Hidden things (display, visibility,
 * opacity 0, no size, clipped to a pixel) are not read, nor, unless asked, disabled controls.
 *
 * Self-contained, as `page.evaluate` needs: no import, nothing from this module's scope, and its
 * helpers are methods of an object (a transpiler may wrap named functions in its own helpers).
 */
export function findContrastProblems(options: ContrastOptions = {}): ContrastProblem[] {
  type Rgba = [number, number, number, number];
  interface Layers {
    /** The opaque colour painted so far, inside the innermost opacity group. */
    colour: Rgba;
    /** The opacity groups open around it, outermost first, with what was painted before each. */
    groups: { backdrop: Rgba; opacity: number }[];
    /** A background image is in the way: nothing can be said. */
    unknown: boolean;
  }
  interface Context {
    disabled: boolean;
    control: Element | null;
  }
  const CONTROLS =
    'button, input, select, textarea, a[href], [role=button], [role=switch], [role=checkbox], [role=radio]';
  const BOUNDED = 'input, select, textarea, [role=switch], [role=checkbox], [role=radio]';
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const parsed = new Map<string, Rgba>();
  const styles = new Map<Element, CSSStyleDeclaration>();
  const layers = new Map<Element, Layers>();
  const clipped = new Map<Element, boolean>();
  const contexts = new Map<Element, Context>();
  const problems: (ContrastProblem & { at: Element })[] = [];
  /** Controls with a visible text, which identifies them. */
  const labelled = new Set<Element>();

  const colour = {
    /** Any CSS colour, in sRGB 0–255 and alpha 0–1: rgb() read as is, anything else painted on a canvas. */
    parse(css: string): Rgba {
      const known = parsed.get(css);
      if (known) return known;
      const rgb = /^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)$/.exec(css);
      let value: Rgba;
      if (rgb) value = [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
      else {
        context.clearRect(0, 0, 1, 1);
        context.fillStyle = 'transparent';
        context.fillStyle = css;
        context.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
        value = [r, g, b, a / 255];
      }
      parsed.set(css, value);
      return value;
    },
    over(top: Rgba, bottom: Rgba): Rgba {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
    },
    /** What an opacity group paints: its content, faded into what was behind it. */
    fade(content: Rgba, backdrop: Rgba, opacity: number): Rgba {
      return colour.over([content[0], content[1], content[2], opacity], backdrop);
    },
    luminance([r, g, b]: Rgba): number {
      const linear = [r, g, b].map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    },
    ratio(a: Rgba, b: Rgba): number {
      const [light, dark] = [colour.luminance(a), colour.luminance(b)].sort((x, y) => y - x);
      return (light + 0.05) / (dark + 0.05);
    },
    css([r, g, b]: Rgba): string {
      return `rgb(${Math.round(r)} ${Math.round(g)} ${Math.round(b)})`;
    },
  };

  const tree = {
    style(element: Element): CSSStyleDeclaration {
      let style = styles.get(element);
      if (!style) styles.set(element, (style = getComputedStyle(element)));
      return style;
    },
    /** The parent it is painted in: its slot, its parent, or its shadow root's host. */
    parent(node: Node): Element | null {
      const slotted = (node as Element | Text).assignedSlot;
      if (slotted) return slotted;
      if (node.parentElement) return node.parentElement;
      return node.parentNode instanceof ShadowRoot ? node.parentNode.host : null;
    },
    /** Clipped to (almost) nothing, as a visually hidden text is, itself or by an ancestor. */
    clipped(element: Element): boolean {
      let known = clipped.get(element);
      if (known !== undefined) return known;
      const style = tree.style(element);
      const parent = tree.parent(element);
      const clips = style.overflow !== 'visible' || style.clip !== 'auto';
      const box = element.getBoundingClientRect();
      known = (clips && (box.width <= 1 || box.height <= 1)) || (parent ? tree.clipped(parent) : false);
      clipped.set(element, known);
      return known;
    },
    visible(element: Element): boolean {
      const shown =
        tree.style(element).display === 'contents' ||
        element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
      return shown && !tree.clipped(element);
    },
    /** Disabled, or in a disabled control, and the control it is in, if any. */
    context(element: Element | null): Context {
      if (!element) return { disabled: false, control: null };
      let known = contexts.get(element);
      if (known) return known;
      const outer = tree.context(tree.parent(element));
      known = {
        disabled: outer.disabled || element.matches(':disabled, [aria-disabled="true"]'),
        control: outer.control ?? (element.matches(CONTROLS) ? element : null),
      };
      contexts.set(element, known);
      return known;
    },
    host(element: Element): Element | null {
      const root = element.getRootNode();
      return root instanceof ShadowRoot ? root.host : null;
    },
    /** What a control is called, to say which one it is. */
    label(control: Element): string {
      return control.getAttribute('aria-label') || (control as HTMLElement).innerText || control.localName;
    },
    name(element: Element): string {
      const part = element.getAttribute('part');
      return (
        element.localName +
        (element.id ? `#${element.id}` : '') +
        (part ? `[part="${part}"]` : '') +
        (element.classList.length && !element.id ? `.${[...element.classList].join('.')}` : '')
      );
    },
    /** Where it is, readably: the shadow hosts on the way, then its last three ancestors. */
    path(element: Element): string {
      const hosts: string[] = [];
      for (let host = tree.host(element); host; host = tree.host(host)) hosts.unshift(tree.name(host));
      const near: string[] = [];
      for (let e: Element | null = element; e && near.length < 3; e = e.parentElement) near.unshift(tree.name(e));
      return [...hosts, near.join(' > ')].join(' › ');
    },
  };

  const paint = {
    /** What is painted at an element, from the page's canvas up to its own background. */
    layers(element: Element | null): Layers {
      if (!element) {
        const probe = document.createElement('div');
        probe.style.cssText = 'background-color: Canvas; display: none';
        document.documentElement.append(probe);
        const canvasColour = colour.parse(getComputedStyle(probe).backgroundColor);
        probe.remove();
        return { colour: canvasColour, groups: [], unknown: false };
      }
      const known = layers.get(element);
      if (known) return known;
      const below = paint.layers(tree.parent(element));
      const style = tree.style(element);
      const opacity = Number(style.opacity);
      const groups = opacity < 1 ? [...below.groups, { backdrop: below.colour, opacity }] : below.groups;
      const background = colour.parse(style.backgroundColor);
      const result: Layers = {
        colour: background[3] > 0 ? colour.over(background, below.colour) : below.colour,
        groups,
        unknown: style.backgroundImage !== 'none' || (below.unknown && background[3] < 1),
      };
      layers.set(element, result);
      return result;
    },
    /** A colour drawn on an element's layers, and those layers, as they reach the screen. */
    flatten(drawn: Rgba, on: Layers): [Rgba, Rgba] {
      let fg = colour.over(drawn, on.colour);
      let bg = on.colour;
      for (const group of [...on.groups].reverse()) {
        fg = colour.fade(fg, group.backdrop, group.opacity);
        bg = colour.fade(bg, group.backdrop, group.opacity);
      }
      return [fg, bg];
    },
    /** What is behind an element, as it reaches the screen. */
    behind(element: Element): Rgba {
      const below = paint.layers(tree.parent(element));
      return paint.flatten([0, 0, 0, 0], below)[1];
    },
  };

  const check = {
    report(at: Element, kind: ContrastProblem['kind'], text: string, fg: Rgba, bg: Rgba, required: number) {
      const ratio = colour.ratio(fg, bg);
      if (ratio >= required) return;
      problems.push({
        at,
        kind,
        path: tree.path(at),
        text: text.replace(/\s+/g, ' ').trim().slice(0, 80),
        ratio: Math.round(ratio * 100) / 100,
        required,
        fg: colour.css(fg),
        bg: colour.css(bg),
      });
    },
    text(node: Text) {
      const element = tree.parent(node);
      if (!element || !node.data.trim() || element instanceof SVGElement) return;
      if (!tree.visible(element) || (!options.includeDisabled && tree.context(element).disabled)) return;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return;
      const on = paint.layers(element);
      const style = tree.style(element);
      const drawn = colour.parse(style.color);
      if (on.unknown || drawn[3] === 0) return;
      const [fg, bg] = paint.flatten(drawn, on);
      const { control } = tree.context(element);
      if (control) labelled.add(control);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      check.report(element, 'text', node.data, fg, bg, large ? 3 : 4.5);
    },
    /**
     * A control must be told from what is around it (3:1) by its border or its fill, unless it has a
     * text, which identifies it (and is checked as text); a control drawn by the browser is its own.
     */
    boundary(control: Element) {
      if (!tree.visible(control) || (!options.includeDisabled && tree.context(control).disabled)) return;
      const style = tree.style(control);
      const bounded = control.matches(BOUNDED);
      if (control.matches('input[type=hidden], input[type=file], progress')) return;
      if (bounded && style.appearance !== 'none' && control.matches('input[type=checkbox], input[type=radio]')) return;
      if (!bounded && labelled.has(control)) return;
      const on = paint.layers(control);
      if (on.unknown) return;
      const behind = paint.behind(control);
      const [fill] = paint.flatten([0, 0, 0, 0], on);
      const border =
        parseFloat(style.borderTopWidth) >= 1 && style.borderTopStyle !== 'none'
          ? colour.parse(style.borderTopColor)
          : null;
      const [edge] = border ? paint.flatten(border, on) : [fill];
      // An icon-only button may be told by its icon, drawn in its text colour.
      const [icon] = bounded ? [fill] : paint.flatten(colour.parse(style.color), on);
      const best = [edge, fill, icon].reduce((a, b) => (colour.ratio(b, behind) > colour.ratio(a, behind) ? b : a));
      check.report(control, 'boundary', tree.label(control), best, behind, 3);
    },
    focus(element: Element) {
      const style = tree.style(element);
      // The browser's own ring (`auto`) is drawn to show on anything.
      if (['none', 'auto'].includes(style.outlineStyle) || parseFloat(style.outlineWidth) < 1) return;
      // Drawn outside the element, the ring is seen against what is around it; inside, against the element.
      const on = parseFloat(style.outlineOffset) < 0 ? paint.layers(element) : paint.layers(tree.parent(element));
      const [ring, bg] = paint.flatten(colour.parse(style.outlineColor), on);
      check.report(element, 'focus', tree.label(element), ring, bg, 3);
    },
  };

  const modals: Element[] = [];
  const controls: Element[] = [];
  // Depth first, into each shadow root where its host is: the page's order.
  const walkers = [document.createTreeWalker(document, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT)];
  while (walkers.length > 0) {
    const node = walkers[walkers.length - 1].nextNode();
    if (!node) walkers.pop();
    else if (node instanceof Text) check.text(node);
    else if (node instanceof Element) {
      if (node.matches(CONTROLS)) controls.push(node);
      if (node.matches(':modal')) modals.push(node);
      if (node.shadowRoot) {
        walkers.push(document.createTreeWalker(node.shadowRoot, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT));
      }
    }
  }
  for (const control of controls) check.boundary(control);
  let focused = document.activeElement;
  while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
  if (focused?.matches(':focus-visible')) check.focus(focused);

  // Behind a modal dialog, the page is covered and inert: only the dialog is read.
  const shown = modals.length
    ? problems.filter((problem) => {
        for (let e: Element | null = problem.at; e; e = tree.parent(e)) if (modals.includes(e)) return true;
        return false;
      })
    : problems;
  return shown.map(({ at: _at, ...problem }) => problem);
}

/** Throws, listing them, if the page has contrast problems. */
export async function expectNoContrastProblems(page: Page, label: string, options: ContrastOptions = {}) {
  const problems = await page.evaluate(findContrastProblems, options);
  if (problems.length === 0) return;
  const lines = problems.map(
    (p) => `  ${p.kind} ${p.ratio}:1 < ${p.required}:1  « ${p.text} »  ${p.fg} on ${p.bg}  at ${p.path}`,
  );
  throw new Error(`${label}: ${problems.length} contrast problem(s)\n${lines.join('\n')}`);
}
