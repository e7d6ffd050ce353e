import { KIND_NAMES, TARGET_NAMES, consequenceLabel } from '../outcomes/labels.js';
import type { ConsequenceView } from '../outcomes/types.js';
import type { PublicResult, PublicRow } from '../scoring/types.js';
import { chineseDate, numberHeadings } from './model.js';
import type { DocBlock, OfficialDocument } from './types.js';

/*
 * The notice (通报) of a published result, as data: the same sections as the public print view
 * (/public/results/:id/notice) — opening, the lists or the ranking, method, review stages, verification —
 * plus the consequences the office confirmed (结果运用). Pure: the caller passes the result, the
 * consequences and the day.
 */

const ENDS_WITH_JUDGEMENT = /(评议|考核|评价|评选|测评|评比|评)$/;

/** 关于2026年度科室考核结果的通报 (评议结果 when the scheme's name does not end in a word of judging). */
export function noticeTitle(schemeName: string, periodName: string): string {
  const scheme = schemeName.trim();
  return `关于${periodName.trim()}${scheme}${ENDS_WITH_JUDGEMENT.test(scheme) ? '' : '评议'}结果的通报`;
}

const fixed = (value: number, precision: number): string => {
  const text = value.toFixed(Math.max(0, Math.min(precision, 10)));
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
};
const points = (n: number): string => String(Number(n.toFixed(4)));
const unitLabel = (row: { parentName: string | null; name: string }): string =>
  row.parentName ? `${row.parentName}${row.name}` : row.name;

function rankingTable(result: PublicResult, caption: string, rows: readonly PublicRow[]): DocBlock {
  const grades = rows.some((r) => r.grade !== null);
  const changes = rows.some((r) => r.rankChange !== null);
  return {
    kind: 'table',
    caption,
    columns: [
      '序号',
      '单位',
      '总分',
      '名次',
      ...(grades ? ['等次'] : []),
      ...(changes ? ['较上期'] : []),
      '备注',
    ],
    rows: rows.map((r, i) => [
      String(i + 1),
      unitLabel(r),
      fixed(r.total, result.precision),
      String(r.rank),
      ...(grades ? [r.grade ?? ''] : []),
      ...(changes
        ? [
            r.rankChange === null
              ? '—'
              : r.rankChange > 0
                ? `↑${r.rankChange}`
                : r.rankChange < 0
                  ? `↓${-r.rankChange}`
                  : '持平',
          ]
        : []),
      [
        r.flags.includes('vetoed') ? '一票否决' : '',
        r.flags.includes('promoted') ? '例外晋级' : '',
        r.flags.includes('largest_decline') ? '降幅最大' : '',
      ]
        .filter(Boolean)
        .join('、'),
    ]),
  };
}

export interface NoticeInput {
  result: PublicResult;
  /** Grade key → name, from the scheme version. */
  gradeNames: Record<string, string>;
  /** The run's consequences as decided; only confirmed ones are printed. */
  consequences: readonly ConsequenceView[];
  /** 成文日期 */
  date: string;
  /** Address of the public result page, for the verification paragraph. */
  resultUrl: string;
}

/** The notice of a published result, ready for the office to edit. */
export function buildNotice(input: NoticeInput): OfficialDocument {
  const { result } = input;
  const issuer = result.issuer ?? '考核办公室';
  const stages = [...result.stages].sort((a, b) => a.stageIndex - b.stageIndex);
  const bodies = [...new Set(stages.map((s) => s.body))].join('、');
  const withGrades = (rows: PublicRow[]) =>
    rows.map((r) => ({ ...r, grade: r.grade ? (input.gradeNames[r.grade] ?? r.grade) : null }));
  const blocks: DocBlock[] = [
    {
      kind: 'paragraph',
      text:
        stages.length > 0
          ? `根据《${result.schemeName}》（第${result.schemeVersion}版），${result.periodName}${result.groupName}评议工作已经完成。评议结果经${bodies}审定，现通报如下。`
          : `根据《${result.schemeName}》（第${result.schemeVersion}版），${result.periodName}${result.groupName}评议工作已经完成，现将评议结果通报如下。`,
    },
  ];
  const side = (which: 'best' | 'worst') => {
    const n = result[which].length;
    if (which === 'best') return n === 10 ? '十佳单位' : `前${n}名单位`;
    return n === 10 ? '十差单位' : `后${n}名单位`;
  };
  if (result.kind === 'ranking') {
    blocks.push({ kind: 'heading', level: 1, text: '评议排名' });
    blocks.push(
      rankingTable(result, `${result.periodName}${result.groupName}评议排名`, withGrades(result.units)),
    );
  } else if (result.kind === 'best_worst') {
    blocks.push({ kind: 'heading', level: 1, text: side('best') });
    blocks.push(rankingTable(result, `${side('best')}名单`, withGrades(result.best)));
    blocks.push({ kind: 'heading', level: 1, text: side('worst') });
    blocks.push(rankingTable(result, `${side('worst')}名单`, withGrades(result.worst)));
  } else {
    blocks.push({ kind: 'heading', level: 1, text: '最难办事科室及主要问题' });
    result.worst.forEach((r, i) =>
      blocks.push({
        kind: 'paragraph',
        text: `${i + 1}. ${unitLabel(r)}（${fixed(r.total, result.precision)}分）。主要问题：${(r.problems ?? '未列明').replace(/[。.；;\s]+$/u, '')}。`,
      }),
    );
  }

  const confirmed = input.consequences.filter((c) => c.status === 'confirmed');
  if (confirmed.length > 0) {
    blocks.push({ kind: 'heading', level: 1, text: '结果运用' });
    blocks.push({ kind: 'paragraph', text: `根据《${result.schemeName}》结果运用规定，经研究，决定如下：` });
    blocks.push({
      kind: 'table',
      caption: '结果运用措施',
      columns: ['单位', '措施', '对象', '期限'],
      rows: confirmed.map((c) => [
        unitLabel({ parentName: c.parentName, name: c.unitName }),
        `${consequenceLabel(c)}（${c.ruleName}）`,
        c.subject ? `${TARGET_NAMES[c.target]} ${c.subject}` : TARGET_NAMES[c.target],
        c.endsOn
          ? `${chineseDate(c.startsOn)}至${chineseDate(c.endsOn)}`
          : c.kind === 'talk' || c.kind === 'public_commitment'
            ? '尽快落实'
            : '—',
      ]),
    });
    if (confirmed.some((c) => c.kind === 'public_commitment')) {
      blocks.push({
        kind: 'paragraph',
        text: `请${KIND_NAMES.public_commitment}所涉单位在规定时间内公开整改方案，接受群众监督。`,
      });
    }
  }

  const components = result.components;
  const top = components.length > 0 ? Math.min(...components.map((c) => c.depth)) : 0;
  const atTop = components.filter((c) => c.depth === top);
  const root = atTop.length === 1 ? atTop[0] : undefined;
  const parts = root ? components.filter((c) => c.depth === top + 1) : atTop;
  blocks.push({ kind: 'heading', level: 1, text: '评议方法' });
  blocks.push({
    kind: 'paragraph',
    text:
      parts.length > 0
        ? `评议满分${points(root ? root.maxPoints : parts.reduce((s, c) => s + c.maxPoints, 0))}分，由${parts.map((c) => `${c.name}（${points(c.maxPoints)}分）`).join('、')}组成。各项得分由原始数据按方案规定的方法折算，合计为总分，按总分排名，得分相同的名次并列。`
        : '各项得分由原始数据按方案规定的方法折算，合计为总分，按总分排名，得分相同的名次并列。',
  });
  if (stages.length > 0) {
    blocks.push({ kind: 'heading', level: 1, text: '审定程序' });
    for (const s of stages) {
      const decision = s.decision === 'approve' ? '同意' : '调整';
      const line = s.stageName.startsWith(s.body)
        ? `${chineseDate(s.decidedOn)}，${s.stageName}，${decision}。`
        : `${chineseDate(s.decidedOn)}，${s.body}（${s.stageName}）${decision}。`;
      blocks.push({ kind: 'paragraph', text: s.reason ? `${line}理由：${s.reason}` : line });
    }
  }
  blocks.push({ kind: 'heading', level: 1, text: '数据核验' });
  blocks.push({
    kind: 'paragraph',
    text: `本结果按方案第${result.schemeVersion}版计算，输入数据摘要为${result.inputsDigest}，结果摘要为${result.resultsDigest}。任何人可运行 minping verify result ${result.id} 从原始记录重新计算核验。各单位每一项得分的来历见 ${input.resultUrl}。`,
  });
  blocks.push({ kind: 'paragraph', text: '请各单位对照评议结果，认真查找问题，切实抓好整改。' });
  return {
    issuer,
    docNumber: '',
    title: noticeTitle(result.schemeName, result.periodName),
    addressee: '各有关单位',
    blocks: numberHeadings(blocks),
    signature: issuer,
    date: input.date,
    cc: '',
  };
}
