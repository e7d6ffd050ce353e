/*
 * The comment model at scale: 100,000 comments segmented (jieba), classified against Xi'an's 7 topics with
 * a model taught by the labelled set, and the ones no topic claimed clustered by key phrases. The baseline
 * in the same run is segmentation alone (the floor: every comment must be cut once). Also prints the
 * labelled set's precision and recall per topic (keywords only, and 5-fold cross-validated with learnt
 * corrections), the table in docs/ledger.md.
 *
 *   npx tsx bench/ledger-model.ts          # BENCH_COMMENTS=100000 by default
 */
import { performance } from 'node:perf_hooks';
import { NANCHUAN_COMMENTS, XIAN_COMMENTS, type LabelledComment } from '../test/fixtures/ledger-comments.js';
import {
  buildModel,
  classify,
  countComment,
  emptyCounts,
  evaluate,
  NO_TOPIC,
  type TopicDefinition,
} from '../src/ledger/classifier.js';
import { clusterComments } from '../src/ledger/clusters.js';
import { TOPIC_PRESETS } from '../src/ledger/presets.js';
import { contentWords, defaultSegmenter, isContentWord, textFeatures } from '../src/ledger/segment.js';
import { seededRandom } from '../src/registry/demo.js';

const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 100_000);
const segmenter = defaultSegmenter();

function topicsOf(key: string): TopicDefinition[] {
  const preset = TOPIC_PRESETS.find((p) => p.key === key);
  if (!preset) throw new Error(key);
  return preset.topics.map((t) => ({
    id: t.key,
    name: t.name,
    keywords: t.keywords.map((word) => ({ word, weight: 1 })),
  }));
}

function quality(key: string, set: LabelledComment[]): void {
  const topics = topicsOf(key);
  const keywords = topics.flatMap((t) => t.keywords.map((k) => k.word));
  const features = set.map((c) => textFeatures(c.text, segmenter, keywords));
  const label = (t: string) => (t === 'none' ? null : t);
  const runWith = (folds: number) => {
    const pairs: { label: string | null; suggested: string | null }[] = [];
    for (let f = 0; f < folds; f++) {
      const counts = emptyCounts();
      set.forEach((c, i) => {
        if (folds > 1 && i % folds !== f) countComment(counts, label(c.topic) ?? NO_TOPIC, features[i] ?? []);
      });
      const model = buildModel(topics, counts);
      set.forEach((c, i) => {
        if (folds === 1 || i % folds === f) {
          pairs.push({ label: label(c.topic), suggested: classify(model, features[i] ?? []).topicId });
        }
      });
    }
    return evaluate(
      topics.map((t) => t.id),
      pairs,
    );
  };
  const k = runWith(1);
  const cv = runWith(5);
  const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
  console.log(`\n${key} (${set.length} comments)`);
  console.log(
    '| topic | comments | precision (keywords) | recall (keywords) | precision (learnt, 5-fold) | recall (learnt, 5-fold) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  k.perTopic.forEach((q, i) => {
    const c = cv.perTopic[i];
    const name = topics[i]?.name ?? q.topicId;
    console.log(
      `| ${name} | ${q.support} | ${pct(q.precision)} | ${pct(q.recall)} | ${pct(c?.precision ?? null)} | ${pct(c?.recall ?? null)} |`,
    );
  });
  console.log(
    `| all (accuracy, "no topic" included) | ${set.length} | ${pct(k.accuracy)} | | ${pct(cv.accuracy)} | |`,
  );
}

function corpus(n: number): string[] {
  // Realistic texts at volume: two clauses of labelled comments joined, drawn with a fixed seed.
  const clauses = [...XIAN_COMMENTS, ...NANCHUAN_COMMENTS].flatMap((c) => c.text.split('，'));
  const rng = seededRandom(12);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = clauses[Math.floor(rng() * clauses.length)] ?? '';
    const b = clauses[Math.floor(rng() * clauses.length)] ?? '';
    out.push(`${a}，${b}`);
  }
  return out;
}

function main(): void {
  quality('xian7', XIAN_COMMENTS);
  quality('nanchuan5', NANCHUAN_COMMENTS);

  const texts = corpus(COMMENTS);
  const topics = topicsOf('xian7');
  const keywords = topics.flatMap((t) => t.keywords.map((k) => k.word));
  const counts = emptyCounts();
  for (const c of XIAN_COMMENTS) {
    countComment(counts, c.topic === 'none' ? NO_TOPIC : c.topic, textFeatures(c.text, segmenter, keywords));
  }

  let t0 = performance.now();
  let words = 0;
  for (const text of texts) words += segmenter.cut(text).filter(isContentWord).length;
  const baseline = performance.now() - t0;

  t0 = performance.now();
  const model = buildModel(topics, counts);
  const unassigned: { id: string; text: string; words: string[] }[] = [];
  let suggested = 0;
  texts.forEach((text, i) => {
    const w = contentWords(text, segmenter);
    const features = new Set(w);
    for (const k of model.keywords) if (text.includes(k)) features.add(k);
    const s = classify(model, [...features]);
    if (s.topicId === null) unassigned.push({ id: String(i), text, words: w });
    else suggested += 1;
  });
  const classified = performance.now() - t0;
  const t1 = performance.now();
  const clusters = clusterComments(unassigned);
  const clustered = performance.now() - t1;
  const total = performance.now() - t0;

  console.log(
    `\n${COMMENTS.toLocaleString('en')} comments (${words.toLocaleString('en')} content words), segmenter ${segmenter.name}`,
  );
  console.log(`segmentation alone (baseline): ${(baseline / 1000).toFixed(2)} s`);
  console.log(
    `classify (segment + features + score): ${(classified / 1000).toFixed(2)} s — ${suggested.toLocaleString('en')} suggested`,
  );
  console.log(
    `cluster the ${unassigned.length.toLocaleString('en')} unassigned: ${(clustered / 1000).toFixed(2)} s — ${clusters.length} clusters, largest ${clusters[0]?.memberIds.length ?? 0} (“${clusters[0]?.title ?? ''}”)`,
  );
  console.log(
    `classify + cluster: ${(total / 1000).toFixed(2)} s (${(total / baseline).toFixed(2)}× segmentation alone); target < 10 s`,
  );
}

main();
