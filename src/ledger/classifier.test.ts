import { describe, expect, it } from 'vitest';
import { NANCHUAN_COMMENTS, XIAN_COMMENTS } from '../../test/fixtures/ledger-comments.js';
import {
  buildModel,
  classify,
  countComment,
  emptyCounts,
  evaluate,
  NO_TOPIC,
  type TopicDefinition,
} from './classifier.js';
import { TOPIC_PRESETS } from './presets.js';
import { defaultSegmenter, intlSegmenter, textFeatures } from './segment.js';

const segmenter = defaultSegmenter();

function presetTopics(key: string): TopicDefinition[] {
  const preset = TOPIC_PRESETS.find((p) => p.key === key);
  if (!preset) throw new Error(key);
  return preset.topics.map((t) => ({
    id: t.key,
    name: t.name,
    keywords: t.keywords.map((word) => ({ word, weight: 1 })),
  }));
}

const TWO: TopicDefinition[] = [
  { id: 'property', name: '物业监管', keywords: [{ word: '物业', weight: 1 }] },
  { id: 'transport', name: '交通出行', keywords: [{ word: '停车', weight: 1 }] },
];

describe('segmentation', () => {
  it('cuts Chinese into words with jieba, and the fallback still finds words', () => {
    expect(segmenter.name).toBe('jieba');
    expect(segmenter.cut('拆迁安置房迟迟不能交房')).toEqual(['拆迁', '安置', '房', '迟迟', '不能', '交房']);
    expect(intlSegmenter().cut('电梯坏了')).toContain('电梯');
  });

  it('offers a keyword the segmenter split as a feature, and drops single characters and stop words', () => {
    // jieba cuts 乱收费 into 乱/收费; the keyword still matches the text as written.
    const features = textFeatures('我们小区乱收费', segmenter, ['乱收费']);
    expect(features).toContain('乱收费');
    expect(features).toContain('小区');
    expect(features).not.toContain('我们');
    expect(features).not.toContain('乱');
  });
});

describe('the classifier', () => {
  it('suggests the topic whose keywords the comment holds, and names them', () => {
    const model = buildModel(TWO);
    const s = classify(model, ['物业', '电梯']);
    expect(s.topicId).toBe('property');
    expect(s.score).toBe(1);
    expect(s.margin).toBe(1);
    expect(s.because).toEqual([{ word: '物业', weight: 1, source: 'keyword' }]);
  });

  it('makes no suggestion below the least score', () => {
    expect(classify(buildModel(TWO), ['电梯', '维修']).topicId).toBeNull();
  });

  it('a keyword weight the office raises wins a comment holding both topics’ keywords', () => {
    const even = classify(buildModel(TWO), ['物业', '停车']);
    expect(even.margin).toBe(0);
    const raised = buildModel([
      TWO[0]!,
      { id: 'transport', name: '交通出行', keywords: [{ word: '停车', weight: 2 }] },
    ]);
    const s = classify(raised, ['物业', '停车']);
    expect(s.topicId).toBe('transport');
    expect(s.margin).toBe(1);
  });

  it('learns from corrections: words of corrected comments then suggest the right topic, and say so', () => {
    // 电梯 is no keyword: nothing is suggested until clerks assign two such comments to property.
    expect(classify(buildModel(TWO), ['电梯', '没人修']).topicId).toBeNull();
    const counts = emptyCounts();
    countComment(counts, 'property', ['电梯', '坏了']);
    countComment(counts, 'property', ['电梯', '物业']);
    countComment(counts, 'transport', ['停车', '车位']);
    const model = buildModel(TWO, counts, { minScore: 0.25 });
    const s = classify(model, ['电梯', '没人修']);
    expect(s.topicId).toBe('property');
    // Hand-computed: n(电梯)=2, in property 2 of 2 comments, outside 0 of 1:
    // ln(((2+1)/(2+2)) / ((0+1)/(1+2))) = ln(2.25) = 0.811; × 2/3 (shrink) × 0.5 (scale) = 0.270.
    expect(s.because).toEqual([{ word: '电梯', weight: 0.27, source: 'learnt' }]);
    // Removing the corrections again (a clerk undoes them) restores the old behaviour.
    countComment(counts, 'property', ['电梯', '坏了'], -1);
    countComment(counts, 'property', ['电梯', '物业'], -1);
    expect(counts.byTopic.get('property')?.size).toBe(0);
  });

  it('comments marked as no topic teach it to leave praise alone', () => {
    const topics = presetTopics('xian7');
    const keywords = topics.flatMap((t) => t.keywords.map((k) => k.word));
    const praise = '工作人员很热情，点赞';
    const before = classify(buildModel(topics), textFeatures(praise, segmenter, keywords));
    expect(before.topicId).toBe('cadre_style');
    const counts = emptyCounts();
    for (const text of ['工作人员辛苦了，点赞', '服务很热情，点赞', '点赞，工作人员很好']) {
      countComment(counts, NO_TOPIC, textFeatures(text, segmenter, keywords));
    }
    for (const c of XIAN_COMMENTS.filter((c) => c.topic === 'cadre_style').slice(0, 10)) {
      countComment(counts, c.topic, textFeatures(c.text, segmenter, keywords));
    }
    const after = classify(buildModel(topics, counts), textFeatures(praise, segmenter, keywords));
    expect(after.topicId).toBeNull();
  });
});

describe('quality on the labelled set (reported in docs/ledger.md)', () => {
  function run(key: string, set: typeof XIAN_COMMENTS, folds: number) {
    const topics = presetTopics(key);
    const keywords = topics.flatMap((t) => t.keywords.map((k) => k.word));
    const features = set.map((c) => textFeatures(c.text, segmenter, keywords));
    const label = (t: string) => (t === 'none' ? null : t);
    const pairs: { label: string | null; suggested: string | null }[] = [];
    for (let f = 0; f < folds; f++) {
      const counts = emptyCounts();
      set.forEach((c, i) => {
        if (folds > 1 && i % folds !== f) countComment(counts, label(c.topic) ?? NO_TOPIC, features[i]!);
      });
      const model = buildModel(topics, counts);
      set.forEach((c, i) => {
        if (folds === 1 || i % folds === f) {
          pairs.push({ label: label(c.topic), suggested: classify(model, features[i]!).topicId });
        }
      });
    }
    return evaluate(
      topics.map((t) => t.id),
      pairs,
    );
  }

  it('has at least 300 comments, 30 per Xi’an topic and 20 per Nanchuan sign', () => {
    expect(XIAN_COMMENTS.length + NANCHUAN_COMMENTS.length).toBeGreaterThanOrEqual(300);
    for (const t of presetTopics('xian7')) {
      expect(XIAN_COMMENTS.filter((c) => c.topic === t.id).length).toBeGreaterThanOrEqual(30);
    }
    for (const t of presetTopics('nanchuan5')) {
      expect(NANCHUAN_COMMENTS.filter((c) => c.topic === t.id).length).toBe(20);
    }
  });

  it('Xi’an 7 topics: keywords alone and with 5-fold learnt corrections', () => {
    const keywordsOnly = run('xian7', XIAN_COMMENTS, 1);
    const learnt = run('xian7', XIAN_COMMENTS, 5);
    // The figures docs/ledger.md reports; a change to the classifier that lowers them fails here.
    expect(keywordsOnly.accuracy).toBeGreaterThanOrEqual(0.83);
    expect(learnt.accuracy).toBeGreaterThanOrEqual(0.83);
    for (const q of learnt.perTopic) expect(q.precision ?? 0).toBeGreaterThanOrEqual(0.75);
  });

  it('Nanchuan’s five signs: harder (short, overlapping complaints), precision stays high', () => {
    const keywordsOnly = run('nanchuan5', NANCHUAN_COMMENTS, 1);
    expect(keywordsOnly.accuracy).toBeGreaterThanOrEqual(0.65);
    for (const q of keywordsOnly.perTopic) expect(q.precision ?? 0).toBeGreaterThanOrEqual(0.85);
  });
});

describe('evaluate', () => {
  it('counts precision and recall per topic, a missing suggestion against recall only', () => {
    const result = evaluate(
      ['a', 'b'],
      [
        { label: 'a', suggested: 'a' },
        { label: 'a', suggested: null },
        { label: 'b', suggested: 'a' },
        { label: null, suggested: 'b' },
      ],
    );
    expect(result.perTopic).toEqual([
      { topicId: 'a', support: 2, precision: 0.5, recall: 0.5 },
      { topicId: 'b', support: 1, precision: 0, recall: 0 },
    ]);
    expect(result.accuracy).toBe(0.25);
  });
});
