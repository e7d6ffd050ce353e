import type { Actor, Role } from '../core/auth/model.js';
import { createAccountWithPassword } from '../core/auth/service.js';
import type { Deps } from '../core/context.js';
import { putSetting } from '../core/settings/store.js';
import { registerAreaSteps } from '../areas.js';
import { loadCampaignsDemo } from '../campaigns/demo.js';
import { loadPanelDemo } from '../panel/demo.js';
import { loadRatingsDemo, type RatingsDemoOptions } from '../ratings/demo.js';
import { loadRegistryDemo } from '../registry/demo.js';
import { loadOutcomesDemo } from '../outcomes/demo.js';
import { loadLedgerDemo } from '../ledger/demo.js';
import { loadChecklistsDemo } from '../checklists/demo.js';
import { loadScoringDemo } from '../scoring/demo.js';
import { loadWindowDemo } from '../window/demo.js';

/** The demo's accounts; their passwords are shown on the login page while the database is in demo mode. */
export const DEMO_PASSWORD = 'minping-demo-2026';

/**
 * Loads the demo jurisdiction (示范市) into an empty registry, with a year of transactions, ratings and
 * bad-review cases, and one account per role. Later areas add their own demo data here.
 */
export async function loadDemo(
  deps: Deps,
  options: { quietIfLoaded: boolean; ratings?: RatingsDemoOptions },
): Promise<boolean> {
  // The demo's bad reviews open their cases through the areas' start-up steps; a caller that loads the
  // demo before building the app (the browser tests do) must not find them missing.
  registerAreaSteps();
  const { db } = deps.database;
  const existing = await db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  if (existing) {
    if (!options.quietIfLoaded)
      console.log('The registry is not empty; the demo is loaded only into an empty database.');
    return false;
  }
  const system: Actor = { kind: 'system', label: 'demo' };
  const started = performance.now();
  const registry = await loadRegistryDemo(deps, system);
  const ratings = await loadRatingsDemo(deps, system, options.ratings);
  const accounts: { username: string; displayName: string; role: Role; unitId?: string; label: string }[] = [
    { username: 'demo-admin', displayName: '演示管理员', role: 'admin', label: '系统管理员 Administrator' },
    { username: 'office', displayName: '考核办 王丽', role: 'office', label: '考核办 Assessment office' },
    {
      username: 'unit',
      displayName: `${registry.staffUnitName} 联络员`,
      role: 'unit_staff',
      unitId: registry.staffUnitId,
      label: `单位人员 Unit staff（${registry.staffUnitName}）`,
    },
    { username: 'leader', displayName: '市领导 陈建国', role: 'leader', label: '评议领导 Leader' },
    {
      username: 'supervisor',
      displayName: '纪委监督员 刘洋',
      role: 'supervisor',
      label: '监督员 Supervisor',
    },
  ];
  for (const account of accounts) {
    await createAccountWithPassword(deps, system, { ...account, password: DEMO_PASSWORD });
  }
  await putSetting(
    db,
    'demo_accounts',
    JSON.stringify(
      accounts.map((a) => ({ username: a.username, password: DEMO_PASSWORD, role: a.role, label: a.label })),
    ),
  );
  const scoring = await loadScoringDemo(deps);
  const outcomes = scoring ? await loadOutcomesDemo(deps) : null;
  const checklists = await loadChecklistsDemo(deps);
  const panel = await loadPanelDemo(deps, system);
  const windowDemo = await loadWindowDemo(deps, system, {
    today: ratings.to,
    staffUnitId: registry.staffUnitId,
  });
  const ledgerStarted = performance.now();
  const ledger = await loadLedgerDemo(deps, system, {
    from: ratings.from,
    to: ratings.to,
    staffUnitId: registry.staffUnitId,
  });
  const ledgerSeconds = ((performance.now() - ledgerStarted) / 1000).toFixed(1);
  const campaigns = await loadCampaignsDemo(deps, system, panel.draws);
  const n = (value: number) => value.toLocaleString('en-US');
  const c = ratings.cases;
  console.log(
    [
      `Demo loaded in ${Math.round((performance.now() - started) / 1000)} s: ${n(registry.units)} units, ` +
        `${n(registry.serviceItems)} service items, ${n(registry.staff)} staff.`,
      `Transactions ${ratings.from} – ${ratings.to} (“today” is ${ratings.to} 18:00): ${n(ratings.transactions)}, ` +
        `${n(ratings.unrated)} not rated yet.`,
      `Ratings: ${n(ratings.ratings)} (${n(ratings.active)} active, ${n(ratings.defaults)} default, ` +
        `${n(ratings.general)} without a transaction, ${n(ratings.held)} held for review, ${n(ratings.removed)} removed on appeal).`,
      `Bad-review cases: ${n(c.total)} (${n(c.closed)} closed, ${n(c.open)} open of which ${n(c.overdue)} overdue, ` +
        `${n(c.dismissed)} dismissed on appeal); warnings 预警单 ${ratings.warnings[1]}, ` +
        `紧急预警单 ${ratings.warnings[2]}, 约谈 ${ratings.warnings[3]}.`,
      `Windows rated clearly worse: ${ratings.worseWindows.join('; ')}.`,
      scoring
        ? `Assessments: ${scoring.schemes} schemes from the templates, ${n(scoring.scores)} imported scores, ` +
          `${scoring.sheets} score-sheet entries, ${scoring.vetoes} vetoes, ${scoring.runs} runs: ${scoring.results.join('; ')}.`
        : 'Assessments: already loaded.',
      outcomes
        ? `Result application: ${outcomes.rules} consequence rules; ${outcomes.confirmed} consequences confirmed ` +
          `(西安), ${outcomes.pending} proposed and awaiting the office.`
        : '',
      checklists
        ? `Quarterly checklist (6个1 + X): ${checklists.units} units, ${checklists.entries} items submitted.`
        : '',
      `Evaluator pool: ${n(panel.evaluators)} evaluators in ${panel.groups} groups, ${panel.grassrootsShare}% grassroots; ` +
        `published draws: ${panel.draws.map((d) => `${d.purpose} (${d.size})`).join('; ')}.`,
      `办不成事 window: ${windowDemo.matters} matters (${Object.entries(windowDemo.byFate)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); ${windowDemo.warnings} warnings.`,
      `Ledger (${ledgerSeconds} s): ${n(ledger.comments)} comments collected (${n(ledger.survey)} from the quarterly ` +
        `survey), ${ledger.problems} problems, items ${Object.entries(ledger.items)
          .map(([state, count]) => `${state} ${count}`)
          .join(', ')}; ${ledger.followUps} revisits and inspections.`,
      `Evaluation campaign: ${campaigns.campaign}, ${campaigns.subjects} key tasks, ${n(campaigns.ballots)} ballots; ` +
        `年中 computed, 年末 open with ${campaigns.openAnswered} of ${campaigns.openInvited} answered.`,
      `Accounts ${accounts.map((a) => a.username).join(', ')} with password ${DEMO_PASSWORD}.`,
    ].join('\n'),
  );
  return true;
}
