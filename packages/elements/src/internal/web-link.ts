/**
 * A link a host gives (its terms of use, MES's pages), when it leads to a web page: a `javascript:`
 * or `data:` address is no link, whatever the page's CSP would do with it.
 */
export function webLink(address: string): string | undefined {
  try {
    const { protocol } = new URL(address, document.baseURI);
    return protocol === 'https:' || protocol === 'http:' ? address : undefined;
  } catch {
    return undefined;
  }
}
