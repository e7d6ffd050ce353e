/* 工作台（控制台首页）的文字（中文）。workbench.en.ts 有同样的键。 */
const workbenchZh = {
  workbench: {
    title: '工作台',
    intro: {
      admin: '{{name}}，您好。以下是今天需要处理的事项。',
      office:
        '{{name}}，您好。以下是今天需要考核办处理的事项：待裁定的申诉、逾期差评、预警、待审核的评价和考核结果。',
      unit_staff: '{{name}}，您好。以下是本单位待处理的差评，按办理期限排列。',
      leader: '{{name}}，您好。以下是逾期未办的差评、约谈和最近发布的考核排名（只读）。',
      supervisor: '{{name}}，您好。以下是逾期未办的差评、约谈、最近发布的考核排名和最新的审计记录（只读）。',
    },
    readOnly: '您可以查看差评和预警督办情况，但不能办理。',
    all: '查看全部',
    nothing: '暂时没有需要您处理的事项。',
    tiles: {
      appeals: '待裁定申诉',
      verifying: '待核实差评',
      rectifying: '整改中差评',
      overdue: '逾期未办差评',
      warnings: '近 {{days}} 天预警',
      held: '待审核评价',
      runs: '待审核考核结果',
    },
    ownCases: '本单位待处理差评（按期限）',
    noOwnCases: '本单位没有待处理的差评。',
    appeals: '待裁定的申诉',
    noAppeals: '没有待裁定的申诉。',
    overdue: '逾期未办的差评',
    noOverdue: '没有逾期未办的差评。',
    warnings: '近 {{days}} 天的预警',
    noWarnings: '近期没有预警。',
    interviews: '约谈',
    noInterviews: '近期没有约谈。',
    runsToReview: '待审核的考核结果',
    noRunsToReview: '没有待审核的考核结果。',
    rankings: '最近发布的考核排名',
    noRankings: '还没有发布的考核结果。',
    audit: '最新审计记录',
    otherAction: '其他操作',
    dueOn: '{{date}} 前办结',
    overdueSince: '已逾期（期限 {{date}}）',
    runStatus: {
      computed: '待审核',
      in_review: '审核中',
      approved: '已审定',
      published: '已发布',
      superseded: '已被取代',
    },
  },
};
export default workbenchZh;
export type WorkbenchLocale = typeof workbenchZh;
