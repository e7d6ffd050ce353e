/*
 * Grouping comments no topic claimed, so that a clerk can spot a new topic or a problem: each comment's
 * key phrases are extracted by TF-IDF over the comments being grouped (words, and two neighbouring words
 * joined, like 停车+收费 → 停车收费), and comments are grouped greedily by the phrase most of them share.
 * Linear in the number of comments (no pairwise similarity), deterministic, pure.
 */

export interface ClusterInput {
  id: string;
  text: string;
  /** The comment's content words in order (contentWords). */
  words: readonly string[];
}

export interface Cluster {
  /** The phrase the members share. */
  phrase: string;
  /** Other phrases frequent among the members, most frequent first (at most 5). */
  related: string[];
  /** Member ids, in input order. */
  memberIds: string[];
  /** A suggested problem title (problemTitle). */
  title: string;
}

export interface ClusterOptions {
  /** Key phrases kept per comment (default 3). */
  phrasesPerComment?: number;
  /** Least members of a cluster (default 2). */
  minSize?: number;
  /** Most clusters returned, the largest first (default 50). */
  maxClusters?: number;
}

/** The candidate phrases of a comment: its words and each pair of neighbouring words joined. */
export function candidatePhrases(words: readonly string[]): string[] {
  const out = new Set(words);
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]}${words[i + 1]}`);
  return [...out];
}

/**
 * Each comment's key phrases by TF-IDF over the corpus given, keeping only phrases that at least
 * `minDocs` comments share (a phrase in one comment groups nothing), best first.
 */
export function keyPhrases(docs: readonly (readonly string[])[], perDoc: number, minDocs = 2): string[][] {
  const candidates = docs.map(candidatePhrases);
  const df = new Map<string, number>();
  for (const phrases of candidates) for (const p of phrases) df.set(p, (df.get(p) ?? 0) + 1);
  const n = docs.length;
  return candidates.map((phrases, i) => {
    const words = docs[i] ?? [];
    const tf = new Map<string, number>();
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    const scored: { phrase: string; score: number }[] = [];
    for (const p of phrases) {
      const d = df.get(p) ?? 0;
      if (d < minDocs || d === n) continue;
      // A joined pair is rarer than its parts and more telling: it counts as occurring once, weighted by its length.
      const termFrequency = tf.get(p) ?? 1;
      const lengthBonus = [...p].length >= 4 ? 1.5 : 1;
      scored.push({ phrase: p, score: termFrequency * Math.log(n / d) * lengthBonus });
    }
    scored.sort((a, b) => b.score - a.score || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0));
    return scored.slice(0, perDoc).map((s) => s.phrase);
  });
}

/** Groups comments by shared key phrases: the phrase most comments share first, each comment in one group. */
export function clusterComments(inputs: readonly ClusterInput[], options: ClusterOptions = {}): Cluster[] {
  const minSize = options.minSize ?? 2;
  const maxClusters = options.maxClusters ?? 50;
  const phrases = keyPhrases(
    inputs.map((c) => c.words),
    options.phrasesPerComment ?? 3,
    minSize,
  );
  const byPhrase = new Map<string, number[]>();
  phrases.forEach((list, i) => {
    for (const p of list) {
      let members = byPhrase.get(p);
      if (!members) {
        members = [];
        byPhrase.set(p, members);
      }
      members.push(i);
    }
  });
  const taken = new Uint8Array(inputs.length);
  // Greedy: largest phrase group first (the longer, more specific phrase on a tie); counts shrink as
  // comments are taken, so they are re-checked before use.
  const order = [...byPhrase.entries()].sort(
    (a, b) =>
      b[1].length - a[1].length || b[0].length - a[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const clusters: Cluster[] = [];
  for (const [phrase, members] of order) {
    if (members.length < minSize) break;
    const free = members.filter((i) => taken[i] === 0);
    if (free.length < minSize) continue;
    for (const i of free) taken[i] = 1;
    const related = new Map<string, number>();
    for (const i of free) {
      for (const p of phrases[i] ?? []) {
        if (p !== phrase && !phrase.includes(p)) related.set(p, (related.get(p) ?? 0) + 1);
      }
    }
    const relatedList = [...related.entries()]
      .filter(([, count]) => count >= 2)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([p]) => p);
    const texts = free.map((i) => inputs[i]?.text ?? '');
    clusters.push({
      phrase,
      related: relatedList,
      memberIds: free.map((i) => inputs[i]?.id ?? ''),
      title: problemTitle(texts, phrase, relatedList),
    });
  }
  clusters.sort((a, b) => b.memberIds.length - a.memberIds.length);
  return clusters.slice(0, maxClusters);
}

const CLAUSE_BREAK = /[，。！？；、,.!?;\s…]+/u;
const TITLE_MAX = 24;

/**
 * A problem title from a group of comments: the clause (a comment's part between punctuation) that holds
 * the shared phrase and most of the related phrases, the shortest of those; at most 24 characters. When no
 * clause holds the phrase, "关于“phrase”的问题".
 */
export function problemTitle(
  texts: readonly string[],
  phrase: string,
  related: readonly string[] = [],
): string {
  let best: { clause: string; hits: number } | null = null;
  for (const text of texts) {
    for (const clause of text.split(CLAUSE_BREAK)) {
      if (!clause.includes(phrase)) continue;
      const hits = related.filter((r) => clause.includes(r)).length;
      const length = [...clause].length;
      if (
        best === null ||
        hits > best.hits ||
        (hits === best.hits &&
          (length < [...best.clause].length || (length === [...best.clause].length && clause < best.clause)))
      ) {
        best = { clause, hits };
      }
    }
  }
  if (best === null) return `关于“${phrase}”的问题`;
  const chars = [...best.clause];
  return chars.length <= TITLE_MAX ? best.clause : `${chars.slice(0, TITLE_MAX - 1).join('')}…`;
}
