import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';

/*
 * Chinese word segmentation for comments. jieba (`@node-rs/jieba`, a dictionary plus an HMM for unknown
 * words) is used when its native binary loads on this machine; otherwise `Intl.Segmenter` (ICU's
 * dictionary segmentation, coarser but always present). Both are deterministic: the same text gives the
 * same words, which is all the classifier and the clustering need.
 */

export interface Segmenter {
  readonly name: 'jieba' | 'intl';
  /** The words of a text, in order, punctuation and spaces included as the segmenter returns them. */
  cut(text: string): string[];
}

let shared: Segmenter | undefined;

function loadJieba(): Segmenter | null {
  try {
    const require = createRequire(import.meta.url);
    const mod = require('@node-rs/jieba') as { Jieba: typeof Jieba };
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    const jieba = mod.Jieba.withDict(dict);
    return { name: 'jieba', cut: (text) => jieba.cut(text, true) };
  } catch {
    return null;
  }
}

/** The segmenter of the fallback: Intl.Segmenter's Chinese word boundaries. */
export function intlSegmenter(): Segmenter {
  const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
  return { name: 'intl', cut: (text) => Array.from(segmenter.segment(text), (s) => s.segment) };
}

/** The process's segmenter: jieba when it loads (once, ~0.2 s for its dictionary), else Intl.Segmenter. */
export function defaultSegmenter(): Segmenter {
  shared ??= loadJieba() ?? intlSegmenter();
  return shared;
}

// Function words and fillers that say nothing about a topic. Single characters are dropped anyway
// (unless a topic names one as a keyword); these are the two-character ones that survive that rule.
const STOP_WORDS = new Set(
  (
    '我们 你们 他们 她们 自己 什么 怎么 这个 那个 这些 那些 这样 那样 一个 一些 一下 一直 一点 已经 还是 就是 但是 而且 因为 ' +
    '所以 如果 可以 没有 不是 不能 不会 不要 还有 只是 只能 现在 时候 之前 以后 希望 觉得 感觉 真的 非常 特别 比较 有点 有些 ' +
    '这里 那里 大家 每次 每天 为什么 的话 一样 问题 反映 情况 事情 东西 地方 出来 起来 知道 说是 一次 两次 好几 半天 今天 明天 ' +
    '昨天 几次 不到 多次 之后 能够 应该 需要 然后 而是 甚至 总是 经常 根本 到底 其实 另外 以及 或者'
  ).split(' '),
);

const HAS_WORD_CHARACTER = /[\p{Script=Han}\p{L}]/u;

/** Whether a word carries meaning for topics: two or more characters, a letter or Han character, not a stop word. */
export function isContentWord(word: string): boolean {
  return [...word].length >= 2 && HAS_WORD_CHARACTER.test(word) && !STOP_WORDS.has(word);
}

/** The content words of a text, in order (repeats kept, for term frequencies). */
export function contentWords(text: string, segmenter: Segmenter): string[] {
  return segmenter.cut(text).filter(isContentWord);
}

/**
 * The features a text offers the classifier: its distinct content words, plus every given keyword that
 * occurs in the text as written (a keyword the segmenter split, like 物业费 → 物业/费, still counts).
 */
export function textFeatures(text: string, segmenter: Segmenter, keywords: Iterable<string> = []): string[] {
  const features = new Set(contentWords(text, segmenter));
  for (const keyword of keywords) if (keyword.length > 0 && text.includes(keyword)) features.add(keyword);
  return [...features];
}
