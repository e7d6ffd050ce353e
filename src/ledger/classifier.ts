/*
 * The topic classifier: explainable, local, no network service. Each (word, topic) pair has a weight;
 * a comment's score for a topic is the sum of the weights of its words, and the suggestion names the words
 * that gave it. Weights come from two places:
 *  - the topic's keywords, as the office wrote them (weight 1 unless the office set another), and
 *  - what the clerks confirmed or corrected: a naive-Bayes log-likelihood ratio of each word for each topic,
 *    learnt from the comments a clerk assigned, shrunk for words seen only once or twice.
 * A correction therefore changes later suggestions: the words of the corrected comment gain weight for the
 * right topic and lose it for the others. Pure: no I/O.
 */

/**
 * The pseudo-topic of comments a clerk marked as belonging to no topic (praise, off-topic): learnt like a
 * topic, so that such words stop pulling comments into a topic; when it wins, there is no suggestion.
 */
export const NO_TOPIC = '_none';

export interface TopicKeyword {
  word: string;
  /** Added to a comment's score for the topic when the word is in it; the office may raise or lower it. */
  weight: number;
}

export interface TopicDefinition {
  id: string;
  name: string;
  keywords: readonly TopicKeyword[];
}

/** How often each word occurred in comments a clerk assigned to each topic (their features, counted once each). */
export interface WordCounts {
  /** topic id → word → number of assigned comments containing the word */
  byTopic: Map<string, Map<string, number>>;
  /** topic id → number of assigned comments */
  comments: Map<string, number>;
}

export interface ClassifierModel {
  topics: readonly TopicDefinition[];
  /** word → topic id → weight: keywords and learnt weights together. */
  weights: Map<string, Map<string, { keyword: number; learnt: number }>>;
  /** Every keyword of every topic, for textFeatures. */
  keywords: string[];
  /** The least score for a suggestion. */
  minScore: number;
}

export interface Because {
  word: string;
  /** What this word added to the suggested topic's score. */
  weight: number;
  source: 'keyword' | 'learnt' | 'both';
}

export interface Suggestion {
  /** Null when no topic reaches the least score: the comment goes to the unassigned pile (clustered). */
  topicId: string | null;
  score: number;
  /** The suggested topic's score minus the next one's: small means a close call. */
  margin: number;
  /** The words that raised the suggested topic's score, largest first. */
  because: Because[];
}

export interface ModelOptions {
  /** Additive smoothing of the word counts (default 1). */
  smoothing?: number;
  /** Learnt weights are kept within ±this (default 3): one comment must not outweigh the office's keywords. */
  clamp?: number;
  /**
   * Learnt weights are multiplied by this (default 0.5, the best of 0.25–2 on the labelled set under
   * cross-validation): a handful of confirmations should refine the keywords, not drown them.
   */
  learntScale?: number;
  /** Least score for a suggestion (default 1: one keyword of weight 1, or learnt evidence as strong). */
  minScore?: number;
}

/** Empty word counts, to add assigned comments to. */
export function emptyCounts(): WordCounts {
  return { byTopic: new Map(), comments: new Map() };
}

/** Adds (or, with `sign` −1, removes) one assigned comment's features to the counts. */
export function countComment(
  counts: WordCounts,
  topicId: string,
  features: readonly string[],
  sign = 1,
): void {
  counts.comments.set(topicId, (counts.comments.get(topicId) ?? 0) + sign);
  let words = counts.byTopic.get(topicId);
  if (!words) {
    words = new Map();
    counts.byTopic.set(topicId, words);
  }
  for (const word of new Set(features)) {
    const next = (words.get(word) ?? 0) + sign;
    if (next <= 0) words.delete(word);
    else words.set(word, next);
  }
}

/**
 * Builds the model from the topics' keywords and the clerks' assignments. A word's learnt weight for a
 * topic is ln P(word | topic) − ln P(word | other topics) over assigned comments (Bernoulli, smoothed),
 * times n/(n+1) for a word seen n times, clamped.
 */
export function buildModel(
  topics: readonly TopicDefinition[],
  counts: WordCounts = emptyCounts(),
  options: ModelOptions = {},
): ClassifierModel {
  const alpha = options.smoothing ?? 1;
  const clamp = options.clamp ?? 3;
  const scale = options.learntScale ?? 0.5;
  const weights: ClassifierModel['weights'] = new Map();
  const cell = (word: string, topicId: string) => {
    let row = weights.get(word);
    if (!row) {
      row = new Map();
      weights.set(word, row);
    }
    let c = row.get(topicId);
    if (!c) {
      c = { keyword: 0, learnt: 0 };
      row.set(topicId, c);
    }
    return c;
  };
  const keywords = new Set<string>();
  for (const topic of topics) {
    for (const k of topic.keywords) {
      cell(k.word, topic.id).keyword += k.weight;
      keywords.add(k.word);
    }
  }

  const topicIds = topics.map((t) => t.id);
  if ((counts.comments.get(NO_TOPIC) ?? 0) > 0) topicIds.push(NO_TOPIC);
  const total = topicIds.reduce((sum, id) => sum + (counts.comments.get(id) ?? 0), 0);
  if (topicIds.length >= 2 && total > 0) {
    const seen = new Map<string, number>();
    for (const id of topicIds) {
      for (const [word, n] of counts.byTopic.get(id) ?? []) seen.set(word, (seen.get(word) ?? 0) + n);
    }
    for (const [word, n] of seen) {
      const shrink = n / (n + 1);
      for (const id of topicIds) {
        const inTopic = counts.byTopic.get(id)?.get(word) ?? 0;
        const docsIn = counts.comments.get(id) ?? 0;
        const docsOut = total - docsIn;
        const pIn = (inTopic + alpha) / (docsIn + 2 * alpha);
        const pOut = (n - inTopic + alpha) / (docsOut + 2 * alpha);
        const llr = Math.max(-clamp, Math.min(clamp, Math.log(pIn / pOut))) * shrink;
        // Negative evidence is kept only where the topic has been taught at all, or silence would punish.
        if (llr > 0 || docsIn > 0) cell(word, id).learnt = llr * scale;
      }
    }
  }
  return { topics, weights, keywords: [...keywords], minScore: options.minScore ?? 1 };
}

/** Every topic's score for a comment's features, in the topics' order. */
export function scores(model: ClassifierModel, features: readonly string[]): Map<string, number> {
  const out = new Map(model.topics.map((t) => [t.id, 0]));
  out.set(NO_TOPIC, 0);
  for (const word of new Set(features)) {
    const row = model.weights.get(word);
    if (!row) continue;
    for (const [topicId, w] of row) {
      const s = out.get(topicId);
      if (s !== undefined) out.set(topicId, s + w.keyword + w.learnt);
    }
  }
  return out;
}

/** The suggested topic for a comment's features (see textFeatures), with the words that caused it. */
export function classify(model: ClassifierModel, features: readonly string[]): Suggestion {
  const all = scores(model, features);
  let best: string | null = null;
  let bestScore = -Infinity;
  let second = -Infinity;
  for (const [id, s] of all) {
    if (s > bestScore) {
      second = bestScore;
      best = id;
      bestScore = s;
    } else if (s > second) second = s;
  }
  if (best === null || best === NO_TOPIC || bestScore < model.minScore) {
    return { topicId: null, score: Math.max(bestScore, 0), margin: 0, because: [] };
  }
  const because: Because[] = [];
  for (const word of new Set(features)) {
    const w = model.weights.get(word)?.get(best);
    if (!w) continue;
    const weight = w.keyword + w.learnt;
    if (weight <= 0) continue;
    const source = w.keyword > 0 && w.learnt > 0 ? 'both' : w.keyword > 0 ? 'keyword' : 'learnt';
    because.push({ word, weight: round(weight), source });
  }
  because.sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word));
  return {
    topicId: best,
    score: round(bestScore),
    margin: round(second === -Infinity ? bestScore : bestScore - second),
    because,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface TopicQuality {
  topicId: string;
  /** Comments labelled with the topic. */
  support: number;
  /** Suggested and right / suggested. Null when the topic was never suggested. */
  precision: number | null;
  /** Suggested and right / labelled. */
  recall: number | null;
}

/**
 * Precision and recall per topic of suggestions against labels; a null label or suggestion is "no topic"
 * (a suggestion where the label is none counts against precision, a missing one against recall).
 */
export function evaluate(
  topicIds: readonly string[],
  pairs: readonly { label: string | null; suggested: string | null }[],
): { perTopic: TopicQuality[]; accuracy: number } {
  const perTopic = topicIds.map((topicId) => {
    let tp = 0;
    let suggested = 0;
    let support = 0;
    for (const p of pairs) {
      if (p.label === topicId) support += 1;
      if (p.suggested === topicId) {
        suggested += 1;
        if (p.label === topicId) tp += 1;
      }
    }
    return {
      topicId,
      support,
      precision: suggested === 0 ? null : round(tp / suggested),
      recall: support === 0 ? null : round(tp / support),
    };
  });
  const right = pairs.filter((p) => p.label === p.suggested).length;
  return { perTopic, accuracy: pairs.length === 0 ? 0 : round(right / pairs.length) };
}
