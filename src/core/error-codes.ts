/*
 * The error catalogue: every code the server answers with, its HTTP status, and what the console and the
 * public pages show for it in Chinese and in English. `AppError` only accepts a code listed here, and
 * test/error-codes.test.ts fails on a code thrown anywhere in src/ that is missing, or on a missing
 * translation. Messages may name the error's params as {{name}} (i18next).
 *
 * Adding a code is one line: `code: [status, '中文', 'English'],` (a code answered with two statuses lists
 * both). Keep the list in alphabetical order.
 */

/** One entry: the HTTP status (or statuses), the Chinese message, the English message. */
export type ErrorEntry = readonly [status: number | readonly number[], zh: string, en: string];

// prettier-ignore
export const ERROR_CATALOGUE = {
  admin_only: [403, '只有系统管理员可以新建或修改管理员账号。', 'Only an administrator may create or change administrator accounts.'],
  already_decided: [409, '该处理结果已经决定过了，请查看其记录。', 'This consequence was decided already; see its record.'],
  already_done: [409, '该事项已登记为落实。', 'This was recorded as carried out already.'],
  already_rated: [409, '该办件已经评价过了。', 'This transaction has already been rated.'],
  already_revoked: [409, '该令牌已被吊销。', 'This token is already revoked.'],
  appeal_decided: [409, '该申诉已经作出决定。', 'This appeal was decided already.'],
  appeal_instead: [400, '如果评价不属实，请提出申诉，由考核办复核。', 'If the review is not genuine, appeal it to the assessment office.'],
  appeal_pending: [409, '针对该处理结果的申诉尚待决定。', 'An appeal against this consequence awaits its decision.'],
  bad_credentials: [401, '用户名或密码错误，或账号已停用。', 'Wrong username or password, or the account is disabled.'],
  bad_decision_date: [400, '审议日期须在名单提交该环节之后（不早于 {{earliest}}），且不能晚于今天（{{latest}}）。', 'The decision date must be on or after {{earliest}} (when the lists reached this stage) and not after today ({{latest}}).'],
  bad_device_token: [401, '设备令牌无效或已吊销。', 'The device token is not valid or has been revoked.'],
  bad_request: [400, '请求无法识别，请刷新页面后重试。', 'The request could not be understood. Reload the page and try again.'],
  bad_token: [401, 'API 令牌无效、已吊销或已过期。', 'The API token is unknown, revoked or expired.'],
  bad_value: [400, '“{{component}}”的分值不是有效数字。', 'The value of “{{component}}” is not a finite number.'],
  batch_too_large: [400, '一次提交的办件太多，请分批提交。', 'Too many transactions at once; send them in smaller batches.'],
  before_start: [400, '日期不能早于结果公布日（{{startsOn}}）。', 'The date cannot be before the result was published ({{startsOn}}).'],
  body_too_large: [413, '文件过大，请上传不超过 10 MB 的文件。', 'The file is too large; the limit is 10 MB.'],
  calendar_list_empty: [400, '名单中没有日期。', 'The list names no dates.'],
  calendar_list_invalid: [400, '名单中有 {{errors}} 行无法识别（第 {{line}} 行起），没有保存任何日期。', '{{errors}} line(s) cannot be read (first: line {{line}}); nothing was stored.'],
  callback_before_rating: [400, '回访时间不能早于评价时间。', 'The call-back cannot be dated before the review.'],
  callback_in_future: [400, '回访时间不能晚于现在。', 'The call-back cannot be dated in the future.'],
  callback_required: [409, '该差评为实名评价，答复前须先登记回访。', 'The rater left contact details: record the call-back before replying.'],
  cannot_change_self: [409, '不能停用自己的账号，也不能修改自己的角色。', 'You cannot disable your own account or change your own role.'],
  case_wrong_state: [409, '此操作在“{{stateName}}”状态下不能进行。案件状态可能已被他人改变，请刷新后查看。', 'This cannot be done while the case is “{{stateName}}”. Someone may have changed it; refresh to see its state.'],
  channel_not_allowed: [400, '对单位的评价只能通过二维码或网页表单提交。', 'A unit is rated here through its QR code or the web form.'],
  comment_too_long: [400, '留言最多 {{max}} 个字。', 'A comment has at most {{max}} characters.'],
  completed_before_received: [400, '办结时间不能早于受理时间。', 'Completion cannot be before receipt.'],
  csrf_failed: [403, '页面已过期（安全校验失败），请刷新页面后重试。', 'The page is out of date (security check failed). Reload it and try again.'],
  daily_limit: [429, '今天已达到评价次数上限。', 'The daily limit of ratings has been reached.'],
  device_other_unit: [403, '该设备登记在其他单位。', 'This device is registered for another unit.'],
  device_required: [[400, 401], '窗口评价器、自助终端和热线系统的评价须来自已登记的设备。', 'Ratings through a window device, self-service terminal or hotline system must come from a registered device.'],
  duplicate: [409, '已存在相同的{{field}}', 'Another record already has this {{field}}'],
  duplicate_rule_key: [400, '第 {{rule}} 条规则的键与其他规则重复。', 'Rule {{rule}}: the key is used twice.'],
  duplicate_tag: [400, '同一等级的选项不能重复。', 'An option is listed twice for one level.'],
  duplicate_unit: [400, '同一单位只能设置一次单独期限。', 'A unit can have its own deadlines only once.'],
  effective_before_latest: [400, '生效日期不能早于该单位最近一次变更的日期（{{latest}}），否则会改写以前考核周期的数据。', 'The effective date cannot be before the unit’s latest change ({{latest}}), or it would rewrite a past period.'],
  empty_body: [400, '请求内容为空，请刷新页面后重试。', 'The request was empty. Reload the page and try again.'],
  empty_group: [400, '该排名分组在周期末没有在用的单位，请检查分组的类别、层级和编码。', 'No unit in force at the end of the period belongs to this ranking group; check its categories, kinds and codes.'],
  empty_override: [400, '请为该单位设置评价选项或服务时间，或将其从列表中移除。', 'Give the unit its own options or opening hours, or remove it from the list.'],
  file_missing: [400, '请选择要上传的文件。', 'Choose a file to upload.'],
  forbidden: [403, '您的账号没有执行此操作的权限。', 'Your account may not do this.'],
  hall_device_only: [403, '本机登记在单个窗口，不能按办件编号评价。', 'This device serves a single window and cannot look up service numbers.'],
  has_active_children: [409, '该单位还有 {{count}} 个在用的下级单位，请先调整或撤销下级单位。', 'This unit still has {{count}} active sub-unit(s). Move or close them first.'],
  idempotency_conflict: [409, '您的评价已经提交过了。', 'Your rating has already been sent.'],
  import_already_applied: [409, '这份预览已经导入过了。', 'This preview has already been applied.'],
  import_empty: [400, '文件表头下没有分值数据。', 'The file has no scores under its header row.'],
  import_failed: [409, '第 {{row}} 行（工作表“{{sheet}}”）无法导入，整个文件都没有导入。', 'Row {{row}} of sheet “{{sheet}}” could not be applied; nothing was imported.'],
  import_has_errors: [[400, 409], '导入文件中有错误行，修正后重新上传才能导入。', 'Some rows have errors. Fix them and upload the file again.'],
  import_stale: [409, '预览生成后单位信息已被修改，请重新上传文件生成新的预览。', 'The registry changed after this preview. Upload the file again for a fresh preview.'],
  in_future: [400, '时间不能晚于现在。', 'The time cannot be in the future.'],
  internal_error: [500, '服务器出现错误，已记录，请稍后重试。', 'Something went wrong on the server. It has been logged; try again later.'],
  invalid_code: [400, '编码只能由 1–40 位字母、数字、“.”“_”“-”组成，且以字母或数字开头。', 'A code has 1–40 letters, digits, “.”, “_” or “-”, and starts with a letter or digit.'],
  invalid_date: [400, '日期格式应为 年-月-日（如 2026-01-01）。', 'Write dates as YYYY-MM-DD (e.g. 2026-01-01).'],
  invalid_date_time: [400, '“{{field}}”应为日期和时间。', '“{{field}}” must be a date and time.'],
  invalid_deadline: [400, '期限设置超出允许范围，请检查后重试。', 'A deadline is out of range; check and try again.'],
  invalid_input: [400, '“{{field}}”填写有误，请检查后重试。', '“{{field}}” is not valid; check it and try again.'],
  invalid_key: [400, '“{{field}}”应为 1–64 位字母、数字、“.”“_”“-”，且以字母或数字开头。', 'The field “{{field}}” is a key of 1–64 letters, digits, “.”, “_” or “-”, starting with a letter or digit.'],
  invalid_kind: [400, '第 {{rule}} 条规则的处理方式无法识别。', 'Rule {{rule}}: unknown consequence kind.'],
  invalid_lease: [400, '租约时长应为 10 到 3600 之间的整秒数。', 'leaseSeconds must be a whole number from 10 to 3600.'],
  invalid_level: [400, '请选择满意程度。', 'Choose how satisfied you are.'],
  invalid_limit: [400, '数量超出允许范围。', 'The number is out of range.'],
  invalid_months: [400, '第 {{rule}} 条规则的月数有误：只有限制晋升才填月数，且为 1–120 的整数。', 'Rule {{rule}}: only a promotion bar has a number of months, a whole number from 1 to 120.'],
  invalid_percent: [400, '第 {{rule}} 条规则的比例有误：只有扣减奖金才填比例，且大于 0、不超过 100。', 'Rule {{rule}}: only a bonus cut has a percentage, above 0 and at most 100.'],
  invalid_period_number: [400, '周期序号超出范围。', 'The period number is out of range.'],
  invalid_range: [400, '结束日期不能早于开始日期。', 'The end date is before the start date.'],
  invalid_rule: [400, '第 {{rule}} 条规则格式有误。', 'Rule {{rule}} is not an object.'],
  invalid_rule_key: [400, '第 {{rule}} 条规则的键应为 1–40 位字母、数字、“_”或“-”。', 'Rule {{rule}}: the key is 1–40 letters, digits, “_” or “-”.'],
  invalid_rule_name: [400, '第 {{rule}} 条规则的名称应为一行 1–60 个字。', 'Rule {{rule}}: the name is one line of 1–60 characters.'],
  invalid_rules: [400, '规则应为一个列表。', 'Rules are a list.'],
  invalid_scheme: [400, '考核方案有问题（指标编号 {{component}}），请按页面上方列出的问题修正后再保存。', 'The scheme has a problem (component {{component}}). Fix the problems listed above, then save.'],
  invalid_setting: [400, '“{{field}}”的取值超出允许范围。', '“{{field}}” is out of range.'],
  invalid_target: [400, '第 {{rule}} 条规则的适用对象无法识别。', 'Rule {{rule}}: unknown target.'],
  invalid_trigger: [400, '第 {{rule}} 条规则的触发条件应为标记、名单或等次。', 'Rule {{rule}}: the trigger is a flag, a list or a grade.'],
  invalid_value: [400, '第 {{line}} 条分值（单位 {{unitCode}}）有误，没有保存任何分值。', 'Value {{line}} (unit {{unitCode}}) is not valid; nothing was stored.'],
  invalid_year: [400, '年份应在 2000–2100 之间。', 'The year must be from 2000 to 2100.'],
  judgement_closed: [409, '该链接已使用或已失效。', 'This link has been used or has expired.'],
  level_without_tags: [400, '每个等级至少要有一个选项。', 'Every level needs at least one option.'],
  link_expired: [410, '评价链接已过期。', 'The rating link has expired.'],
  link_not_found: [404, '评价链接不存在。', 'The rating link does not exist.'],
  list_too_long: [400, '名单中有 {{count}} 个单位，本环节最多保留 {{size}} 个。', 'The list holds {{count}} units; this stage keeps at most {{size}}.'],
  lookup_limit: [429, '本机查找不成功的次数太多，请 {{retryAfterMinutes}} 分钟后再试，或扫描办件回执上的二维码评价。', 'Too many numbers that did not match were tried here. Try again in {{retryAfterMinutes}} minutes, or use the QR code on your receipt.'],
  malformed_json: [400, '请求格式有误，请刷新页面后重试。', 'The request was malformed. Reload the page and try again.'],
  mode_mismatch: [400, '该事项不支持所选的办理方式（线上/线下）。', 'The service item cannot be handled this way (online/offline).'],
  no_longer_waiting: [410, '这次办件已不能在本机评价，请使用凭条上的二维码或短信链接评价。', 'This service can no longer be rated here; please use the QR code on your slip or the text message link.'],
  no_score_columns: [400, '文件中没有包含“单位编码”和“分值”两列的表头，请补充后重新上传。', 'No sheet has a header with a unit code column (单位编码) and a value column (分值). Add them and upload again.'],
  not_approved: [409, '只有经最后一个审议环节审定的结果才能发布。', 'Only a result approved at the last review stage can be published.'],
  not_at_window: [403, '这笔办件是网上办理的，请通过短信中的链接评价。', 'This service was handled online; please rate it through the link in the text message.'],
  not_canonical: [400, '数据中含有无法保存的值（{{path}}），请检查后重试。', 'A value at {{path}} cannot be stored; check it and try again.'],
  not_confirmed: [409, '只有已确认的处理结果才能登记落实或提出申诉。', 'Only a confirmed consequence is carried out or appealed.'],
  not_found: [404, '找不到该记录，可能已被删除，请刷新后重试。', 'The record was not found; it may have been removed. Refresh and try again.'],
  not_held: [409, '该评价已经审核过了，请刷新列表。', 'This rating has already been reviewed; refresh the list.'],
  not_on_list: [400, '调整名单时只能删去或调整顺序，不能加入原名单之外的单位。', 'An amendment may remove or reorder units, never add a unit that was not on the list.'],
  not_proposed: [400, '方案规则没有对该单位在本次结果中提出这项处理。', 'The scheme’s rules propose no such consequence for this unit in this result.'],
  not_published: [409, '只有已公布的结果才能运用。', 'Consequences follow from a published result only.'],
  not_signed_in: [401, '登录已过期，请重新登录。', 'Your session has ended. Sign in again.'],
  nothing_to_carry_out: [409, '只有约谈和公开承诺需要登记落实。', 'Only a talk or a public commitment is recorded as carried out.'],
  office_only: [403, '只有考核办可以执行此操作。', 'Only the assessment office may do this.'],
  official_calendar_unknown: [404, '系统没有内置 {{year}} 年的官方节假日安排，请按国务院办公厅通知粘贴导入。', 'Minping does not ship the official arrangement for {{year}}; paste it from the State Council’s notice.'],
  outside_scope: [403, '该单位不在您的账号负责的范围内。', 'This unit is outside the part of the registry your account manages.'],
  parent_inactive: [400, '上级单位在 {{date}} 不在用，请另选上级单位或调整生效日期。', 'The parent unit is not active on {{date}}. Choose another parent or another date.'],
  password_change_required: [403, '请先修改一次性密码。', 'Change your one-time password first.'],
  password_contains_username: [400, '密码不能包含用户名。', 'The password must not contain the username.'],
  password_too_short: [400, '密码至少需要 10 个字符。', 'The password must have at least 10 characters.'],
  password_too_simple: [400, '密码至少要使用 5 个不同的字符。', 'The password must use at least 5 different characters.'],
  password_unchanged: [400, '新密码不能与当前密码相同。', 'Choose a password different from the current one.'],
  rate_limited: [429, '操作过于频繁，请稍等一分钟再试。', 'Too many requests; wait a minute and try again.'],
  reason_required: [400, '调整名单必须填写调整理由。', 'An amendment of the lists needs a written reason.'],
  rectification_required: [409, '答复前须先填写整改情况。', 'Record what was rectified before replying.'],
  reference_missing: [409, '引用的记录不存在。', 'This refers to a record that does not exist.'],
  route_not_found: [404, '服务器不支持此操作（接口不存在）。', 'The server does not offer this operation.'],
  run_changed: [409, '该次计算刚刚被其他人改动，请刷新后重试。', 'The run changed while this was recorded; reload it.'],
  run_locked: [409, '该考核结果已审定（已锁定），不能再修改。如确需调整，请重新计算一次，新结果将另行审议。', 'This result has been approved and is locked. To change anything, compute a new run; it goes through review again.'],
  run_superseded: [409, '该次计算已被同一方案、周期和分组的新一次计算取代。', 'A newer run of this scheme, period and group replaced this one.'],
  scheme_changed: [409, '其他人刚刚保存了该方案的新版本，请刷新后重试。', 'Someone saved another version of the scheme a moment ago; reload it.'],
  scopes_required: [400, '请至少选择一项权限。', 'Choose at least one scope.'],
  self_scoring: [400, '牵头单位不能给自己打分，请从评分表中删去牵头单位本身。', 'A lead unit cannot score itself: remove the lead unit from the sheet.'],
  service_item_inactive: [400, '所选的服务事项已停用。', 'The chosen service item is no longer offered.'],
  service_item_not_of_unit: [400, '所选的服务事项不属于该单位及其上下级单位。', 'The chosen service item belongs neither to this unit nor to a unit above or under it.'],
  source_unavailable: [400, '指标“{{component}}”的数据来源暂不可用，请另选数据来源。', 'The source of component “{{component}}” is not available; choose another source.'],
  staff_cannot_rate: [403, '工作人员不能代替群众评价。', 'Staff cannot rate on behalf of the public.'],
  staff_inactive: [400, '所选的工作人员已停用。', 'The chosen staff member is no longer active.'],
  staff_not_of_unit: [400, '所选的工作人员不属于该单位及其上下级单位。', 'The chosen staff member works neither at this unit nor at a unit above or under it.'],
  tag_not_for_level: [400, '所选的选项与满意程度不符，请重新选择。', 'An option does not fit the level chosen; choose again.'],
  too_many_attempts: [429, '登录失败次数过多，请 {{minutes}} 分钟后再试，或联系管理员重置密码。', 'Too many failed sign-ins. Wait {{minutes}} minutes, or ask an administrator to reset the password.'],
  too_many_rows: [400, '文件行数过多（每个文件最多 20000 行数据），请拆分成几个文件。', 'Too many rows (at most 20,000 data rows per file); split the file.'],
  too_many_rules: [400, '最多 50 条规则。', 'At most 50 rules.'],
  transaction_expired: [410, '这笔办件的评价期限已过，不能再评价了。', 'The time to rate this service is over; it can no longer be rated.'],
  transaction_not_found: [404, '没有找到可以在这里评价的办件。请核对回执上的办件编号；办件时留了手机号的，请核对手机号后四位。', 'No service with this number can be rated here. Check the number on your receipt and, if you gave a phone number, its last four digits.'],
  tree_cycle: [409, '不能把单位移到它自己或它的下级单位之下。', 'A unit cannot be placed under itself or one of its own sub-units.'],
  unit_inactive: [409, '该单位已撤销，不能再修改。', 'This unit has been closed and can no longer change.'],
  unit_not_in_force: [400, '所选单位在办件当天不在用。', 'The chosen unit was not in force on the day of the transaction.'],
  unit_required: [400, '单位人员账号必须指定所属单位。', 'Unit staff accounts must name their unit.'],
  unknown_category: [400, '所选的类别不存在。', 'The chosen category does not exist.'],
  unknown_dimension: [400, '评价中含有不存在的评价维度。', 'The rating names a dimension that does not exist.'],
  unknown_field: [400, '第 {{rule}} 条规则含有无法识别的字段。', 'Rule {{rule}} has a field that is not recognised.'],
  unknown_group: [400, '该方案没有这个排名分组。', 'The scheme has no such ranking group.'],
  unknown_parent: [400, '所选的上级单位不存在。', 'The chosen parent unit does not exist.'],
  unknown_period: [400, '所选的考核周期不存在。', 'The chosen period does not exist.'],
  unknown_scheme: [400, '所选的考核方案不存在。', 'The chosen scheme does not exist.'],
  unknown_service_item: [400, '所选的服务事项不存在。', 'The chosen service item does not exist.'],
  unknown_staff: [400, '所选的工作人员不存在。', 'The chosen staff member does not exist.'],
  unknown_stage: [400, '该方案没有这一审核环节。', 'The scheme has no such review stage.'],
  unknown_task: [400, '该打分任务不存在。', 'There is no such scoring task.'],
  unknown_unit: [400, '所选的单位不存在。', 'The chosen unit does not exist.'],
  unknown_version: [400, '该方案没有这个版本。', 'The scheme has no such version.'],
  unreadable_file: [400, '文件无法读取（可能已损坏或设置了密码），请用 Excel 另存后重试。', 'The file cannot be read (damaged or password-protected). Save it again from Excel and retry.'],
  unsupported_file: [400, '只支持 .xlsx 或 .csv 文件。旧版 .xls 请先在 Excel 中“另存为” .xlsx。', 'Only .xlsx and .csv files can be imported; save old .xls workbooks as .xlsx first.'],
  unsupported_media_type: [415, '文件格式不受支持，请上传 .xlsx 或 .csv 文件。', 'This file type is not supported; upload an .xlsx or .csv file.'],
  warnings_not_accepted: [409, '有需要确认的情况尚未确认（可能刚刚出现）。请刷新页面，在确认对话框中逐条核对后再继续。', 'A condition needs confirming first (it may have just arisen). Reload the page and review each in the dialog before going ahead.'],
  wrong_current_password: [400, '当前密码不正确。', 'The current password is not right.'],
  wrong_device_kind: [403, '热线系统应通过办件的评价链接提交评价，不能在窗口或单位评价页提交。', 'A hotline system rates transactions through their rating links, not at a window or on a unit’s form.'],
  wrong_stage: [400, '该审议环节不是当前待审议的环节（可能已被他人登记），请刷新页面后查看。', 'This is not the stage awaiting a decision (someone may have recorded it). Refresh the page.'],
} as const satisfies Record<string, ErrorEntry>;

/** A code of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Whether a string is a code of the catalogue. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The HTTP statuses a code is answered with. */
export function statusesOf(code: ErrorCode): readonly number[] {
  const status: number | readonly number[] = ERROR_CATALOGUE[code][0];
  return typeof status === 'number' ? [status] : status;
}

/** Every code's message in one language, for the console's and the public pages' translations. */
export function errorMessages(language: 'zh-CN' | 'en'): Record<ErrorCode, string> {
  const index = language === 'zh-CN' ? 1 : 2;
  const out = {} as Record<ErrorCode, string>;
  for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) out[code] = ERROR_CATALOGUE[code][index];
  return out;
}
