/** What the demo's pages share: building text-only elements, and the portal's login. */

export interface Me {
  user: { name: string } | null;
  users: { id: string; name: string }[];
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** An element with text (never markup) and attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** Who is logged in to the portal, with the demo's accounts. */
export async function portalUser<T extends Me>(): Promise<T> {
  return (await (await fetch('/portal/me', { credentials: 'same-origin' })).json()) as T;
}

/** Nobody is: the demo's accounts, one button each. */
export function showLogin(me: Me) {
  byId('login').hidden = false;
  byId('accounts').replaceChildren(
    ...me.users.map((user) => element('button', user.name, { type: 'submit', name: 'user', value: user.id })),
  );
}

/** Somebody is: their name and « Se déconnecter ». */
export function showUser(me: Me) {
  byId('who').textContent = me.user!.name;
  document.querySelector<HTMLFormElement>('.who')!.hidden = false;
}
