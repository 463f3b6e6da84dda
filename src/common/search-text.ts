/**
 * Pure helpers for search: the accent- and case-free form of a text (as `fidelia_search_text`
 * and the `fidelia_*` text search configurations see it) and the highlighting of what matched.
 */

/** Lower case without diacritics, character by character (ñ → n, Ü → u), same length in code points. */
export function foldChar(ch: string): string {
  return (
    ch
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase() || ch
  );
}

export function foldText(text: string): string {
  return [...text].map(foldChar).join('');
}

/** The words of a query (letters and digits), folded, in order, without repeats. */
export function queryWords(q: string): string[] {
  return [...new Set(foldText(q).match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/**
 * `text` with each occurrence of the terms (compared folded) between «», so "garcia" marks
 * "«García»". Overlapping or adjacent matches merge; empty terms are ignored.
 */
export function highlight(text: string, terms: string[]): string {
  const chars = [...text];
  // Folded text and, for each of its UTF-16 units, the index of the original character.
  let folded = '';
  const origin: number[] = [];
  chars.forEach((ch, i) => {
    const f = foldChar(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
  });
  const marked = new Array<boolean>(chars.length).fill(false);
  for (const term of terms.map(foldText).filter((t) => t.length > 0)) {
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      for (let k = at; k < at + term.length; k++) marked[origin[k]] = true;
    }
  }
  let out = '';
  chars.forEach((ch, i) => {
    if (marked[i] && !marked[i - 1]) out += '«';
    out += ch;
    if (marked[i] && !marked[i + 1]) out += '»';
  });
  return out;
}
