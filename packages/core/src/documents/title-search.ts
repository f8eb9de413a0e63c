/** Search as you type on titles, as the patient means it: accents, case and hyphens aside. */

/** A title or a query folded for comparison; a list keeps its titles folded once. */
export const foldForSearch = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('fr');

/** The words of a query, folded: a title matches when it holds every one. */
export const searchWords = (text: string) =>
  foldForSearch(text)
    .split(/[\s\-'’]+/)
    .filter(Boolean);

/** Whether a title holds every word of `text`: « compte rendu » finds « Compte-rendu ». */
export function titleMatches(title: string, text: string): boolean {
  const folded = foldForSearch(title);
  return searchWords(text).every((word) => folded.includes(word));
}
