/** Filler words: only true hesitation sounds, never words that also carry meaning in English ("like"). */

const EN = new Set(['um', 'umm', 'uh', 'uhh', 'uhm', 'er', 'erm', 'ah', 'ahh', 'hmm', 'hm', 'mm', 'mmm']);
/** Chinese hesitations; 那个 and 就是 count as fillers when they stand alone as a recognised token. */
const ZH = new Set(['嗯', '啊', '呃', '额', '那个', '就是', '这个']);

export function isFiller(word: string): boolean {
  const bare = word.toLowerCase().replace(/[\s.,!?;:"'()\-…，。！？、；：“”‘’]/g, '');
  if (!bare) return false;
  return EN.has(bare) || ZH.has(bare);
}
