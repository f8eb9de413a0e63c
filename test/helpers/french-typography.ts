/**
 * French typography, as a patient reads it: apostrophes are typographic (’), the high punctuation
 * « ; ! ? % » and the colon follow a non-breaking space (U+00A0 or the narrow U+202F), and guillemets
 * hold their text between non-breaking spaces. Returns one line per problem, quoting where it is.
 */
const NBSP = /[\u00a0\u202f]/;

export function frenchTypographyProblems(text: string): string[] {
  const problems: string[] = [];
  const at = (index: number) => JSON.stringify(text.slice(Math.max(0, index - 12), index + 12));
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const before = text[index - 1] ?? '';
    const after = text[index + 1] ?? '';
    if (char === "'" && /\p{L}/u.test(before)) problems.push(`straight apostrophe in ${at(index)}`);
    // « ; ! ? » end a phrase; a colon too, unless it is in an address or a time (« http:// », « 10:30 »).
    const high = ';!?'.includes(char) || (char === ':' && !/[/\d]/.test(after) && !/\d/.test(before));
    if (high && index > 0 && !NBSP.test(before) && !';!?'.includes(before)) {
      problems.push(`no non-breaking space before « ${char} » in ${at(index)}`);
    }
    if (char === '%' && /[\d\s}]/.test(before) && !NBSP.test(before)) {
      problems.push(`no non-breaking space before « % » in ${at(index)}`);
    }
    if (char === '«' && !NBSP.test(after)) problems.push(`no non-breaking space after « in ${at(index)}`);
    if (char === '»' && !NBSP.test(before)) problems.push(`no non-breaking space before » in ${at(index)}`);
  }
  return problems;
}
