import { accountByUsername } from '../core/auth/store.js';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { listRuns, listSchemes } from '../scoring/service.js';
import { RULE_PRESETS } from './model.js';
import { decide, putRules, runOutcomes } from './service.js';

/*
 * The demo's result application: each seed scheme gets its city's consequence rules; the Xi'an quarters'
 * proposals (largest decline: −5% and no 优秀) are confirmed by the office, and every other published
 * result's proposals are left for the office to decide in the console.
 */

export async function loadOutcomesDemo(
  deps: Deps,
  officeUsername = 'office',
): Promise<{ rules: number; confirmed: number; pending: number }> {
  const account = await accountByUsername(deps.database.db, officeUsername);
  if (!account) return { rules: 0, confirmed: 0, pending: 0 };
  const office: Actor = {
    kind: 'account',
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    role: 'office',
    unitId: null,
    mustChangePassword: false,
  };
  const summary = { rules: 0, confirmed: 0, pending: 0 };
  const schemes = await listSchemes(deps, office);
  for (const scheme of schemes) {
    const preset = RULE_PRESETS.find((p) => p.key === scheme.code);
    if (!preset) continue;
    await putRules(deps, office, scheme.id, preset.rules);
    summary.rules += preset.rules.length;
    const runs = (await listRuns(deps, office, { schemeId: scheme.id })).filter(
      (r) => r.status === 'published',
    );
    for (const run of runs) {
      for (const item of (await runOutcomes(deps, office, run.id)).items) {
        if (scheme.code === 'xian' && !item.decision) {
          await decide(deps, office, run.id, {
            ruleKey: item.proposal.ruleKey,
            unitId: item.proposal.unitId,
            decision: 'confirm',
          });
          summary.confirmed += 1;
        } else if (!item.decision) summary.pending += 1;
      }
    }
  }
  return summary;
}
