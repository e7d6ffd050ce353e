/* The workbench (the console's landing page) in English; workbench.zh-CN.ts has the same keys. */
import type { WorkbenchLocale } from './workbench.zh-CN';

const workbenchEn: WorkbenchLocale = {
  workbench: {
    title: 'Workbench',
    intro: {
      admin: 'Hello, {{name}}. This is what waits today.',
      office:
        'Hello, {{name}}. What waits for the office today: appeals to decide, overdue cases, warnings, held ratings and results to review.',
      unit_staff: 'Hello, {{name}}. Your unit’s open bad-review cases, by deadline.',
      leader:
        'Hello, {{name}}. Overdue cases, interviews (约谈) and the latest published rankings (read only).',
      supervisor:
        'Hello, {{name}}. Overdue cases, interviews (约谈), the latest published rankings and audit entries (read only).',
    },
    readOnly: 'You can read cases and warnings, not act on them.',
    all: 'See all',
    nothing: 'Nothing waits for you.',
    tiles: {
      appeals: 'Appeals to decide',
      verifying: 'Cases to verify',
      rectifying: 'Cases being rectified',
      overdue: 'Overdue cases',
      warnings: 'Warnings, last {{days}} days',
      held: 'Held ratings',
      runs: 'Results to review',
    },
    ownCases: 'Your unit’s open cases (by deadline)',
    noOwnCases: 'Your unit has no open cases.',
    appeals: 'Appeals to decide',
    noAppeals: 'No appeals to decide.',
    overdue: 'Overdue cases',
    noOverdue: 'No overdue cases.',
    warnings: 'Warnings, last {{days}} days',
    noWarnings: 'No recent warnings.',
    interviews: 'Interviews (约谈)',
    noInterviews: 'No recent interviews.',
    runsToReview: 'Results to review',
    noRunsToReview: 'No results waiting for review.',
    rankings: 'Latest published rankings',
    noRankings: 'No published results yet.',
    audit: 'Latest audit entries',
    otherAction: 'Other action',
    dueOn: 'due {{date}}',
    overdueSince: 'overdue (due {{date}})',
    runStatus: {
      computed: 'To review',
      in_review: 'In review',
      approved: 'Approved',
      published: 'Published',
      superseded: 'Superseded',
    },
  },
};
export default workbenchEn;
