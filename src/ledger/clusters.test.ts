import { describe, expect, it } from 'vitest';
import { candidatePhrases, clusterComments, keyPhrases, problemTitle } from './clusters.js';
import { contentWords, defaultSegmenter } from './segment.js';

const segmenter = defaultSegmenter();
const input = (texts: string[]) =>
  texts.map((text, i) => ({ id: `c${i}`, text, words: contentWords(text, segmenter) }));

describe('key phrases', () => {
  it('joins neighbouring words as candidate phrases', () => {
    expect(candidatePhrases(['停车', '收费', '太贵'])).toEqual([
      '停车',
      '收费',
      '太贵',
      '停车收费',
      '收费太贵',
    ]);
  });

  it('keeps only phrases other comments share, rarer ones first', () => {
    const docs = [
      ['停车', '收费'],
      ['停车', '收费'],
      ['停车', '电梯'],
      ['电梯', '维修'],
    ];
    // 停车 in 3 of 4 (idf ln(4/3)); 收费 and 停车收费 in 2 (ln 2, the joined pair ×1.5); 电梯 in 2.
    expect(keyPhrases(docs, 2)).toEqual([
      ['停车收费', '收费'],
      ['停车收费', '收费'],
      ['电梯', '停车'],
      ['电梯'],
    ]);
  });
});

describe('clusters of unassigned comments', () => {
  it('groups comments sharing a phrase and titles the group with its clearest clause', () => {
    const clusters = clusterComments(
      input([
        '社区核酸检测点排队太长，站了两个小时',
        '核酸检测点太少，排队排到马路上',
        '核酸检测点排队没人维持秩序',
        '菜市场门口的井盖坏了',
        '井盖坏了好几天，晚上有人踩空',
        '今天天气不错',
      ]),
    );
    expect(clusters.map((c) => c.memberIds)).toEqual([
      ['c0', 'c1', 'c2'],
      ['c3', 'c4'],
    ]);
    expect(clusters[0]!.phrase).toContain('核酸');
    // The clause holding the shared phrase and the related one (排队) wins over the shorter 核酸检测点太少.
    expect(clusters[0]!.related).toContain('排队');
    expect(clusters[0]!.title).toBe('社区核酸检测点排队太长');
    expect(clusters[1]!.title).toBe('井盖坏了好几天');
  });

  it('puts each comment in one group only and leaves singletons out', () => {
    const clusters = clusterComments(input(['路灯坏了', '路灯坏了没人修', '井盖丢了', '电梯坏了']), {
      minSize: 2,
    });
    const all = clusters.flatMap((c) => c.memberIds);
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain('c2');
  });

  it('titles a group by the phrase when no clause holds it, and shortens long clauses', () => {
    expect(problemTitle(['无关的话'], '停车')).toBe('关于“停车”的问题');
    const long = '停车' + '很'.repeat(40);
    expect([...problemTitle([long], '停车')].length).toBe(24);
    expect(problemTitle([long], '停车').endsWith('…')).toBe(true);
  });
});
