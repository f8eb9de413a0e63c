/**
 * What a story waits for before it is done: the state it is named after, not one on the way to it,
 * so that what a designer sees and what the story test checks hold still.
 */

/** Resolves once `condition` holds. */
export async function until(condition: () => unknown): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Resolves once the element shows one of these custom states (`:state(…)`). */
export function untilState(element: Element, ...states: string[]): Promise<void> {
  return until(() => states.some((state) => element.matches(`:state(${state})`)));
}

/** Clicks the element's `[data-action=…]` button once it is shown, as the patient would. */
export async function press(element: Element, action: string): Promise<void> {
  const find = () => element.shadowRoot?.querySelector<HTMLElement>(`[data-action="${action}"]`);
  await until(find);
  find()!.click();
}
