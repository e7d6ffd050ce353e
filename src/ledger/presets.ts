/*
 * Topic lists the office can start from (and then edit): Xi'an International Port District's 7 quarterly
 * survey topics (seed 004), Nanchuan's five signs of a hard-to-deal-with section 冷/懒/推/乱/贪 (seed 002),
 * and five conduct dimensions for Caidian-style grassroots-unit reviews (seed 001 names the review's parts,
 * not comment topics; these five are the usual 作风 dimensions such comments fall into). Keywords have
 * weight 1; clerks' confirmations teach the rest.
 */

export interface TopicPreset {
  key: string;
  name: string;
  topics: { key: string; name: string; keywords: string[] }[];
}

const words = (s: string) => s.split(' ').filter((w) => w.length > 0);

export const TOPIC_PRESETS: readonly TopicPreset[] = [
  {
    key: 'xian7',
    name: '西安港务区七个方面（季度满意度测评）',
    topics: [
      {
        key: 'education',
        name: '教育教学',
        keywords: words(
          '学校 上学 入学 学位 幼儿园 老师 教师 学生 孩子 作业 教育 招生 学区 课后 校车 班主任 中考 高考 学籍 课程 教学 补课 小学 初中 高中',
        ),
      },
      {
        key: 'transport',
        name: '交通出行',
        keywords: words(
          '公交 地铁 道路 堵车 拥堵 红绿灯 停车 车位 出行 打车 站牌 路灯 过马路 车道 交通 线路 施工 天桥 渣土车 断头路 积水 充电桩',
        ),
      },
      {
        key: 'employment',
        name: '扶贫就业',
        keywords: words(
          '就业 招聘 找工作 工资 岗位 培训 社保 失业 扶贫 脱贫 帮扶 创业 低保 务工 农民工 招工 劳动 补贴 返贫 零工 见习 裁员 仲裁',
        ),
      },
      {
        key: 'cadre_style',
        name: '干部作风',
        keywords: words(
          '干部 态度 工作人员 推诿 踢皮球 形式 走过场 效率 不作为 领导 办事 窗口 回复 敷衍 迟到 早退 吃拿卡要 官僚 拖 不耐烦',
        ),
      },
      {
        key: 'environment',
        name: '环境卫生',
        keywords: words(
          '垃圾 扬尘 噪音 污染 污水 排污 雾霾 臭 卫生 清运 废气 油烟 绿化 厕所 粉尘 治污 降霾 秸秆 河道 环境',
        ),
      },
      {
        key: 'resettlement',
        name: '拆迁安置',
        keywords: words(
          '拆迁 安置 安置房 回迁 征地 征收 补偿 过渡费 过渡 强拆 宅基地 搬迁 征迁 选房 旧村改造 补偿款',
        ),
      },
      {
        key: 'property',
        name: '物业监管',
        keywords: words(
          '物业 物业费 电梯 业委会 业主 小区 维修基金 门禁 保安 报修 开发商 车库 楼道 消防通道 供暖',
        ),
      },
    ],
  },
  {
    key: 'nanchuan5',
    name: '南川“冷、懒、推、乱、贪”',
    topics: [
      {
        key: 'cold',
        name: '冷（态度冷漠）',
        keywords: words(
          '冷漠 冷冰冰 态度 脸难看 爱理不理 不耐烦 生硬 训 吼 呵斥 语气 冷言冷语 板着脸 看不起 恶劣',
        ),
      },
      {
        key: 'lazy',
        name: '懒（消极懒散）',
        keywords: words(
          '拖 拖拉 拖延 找不到人 没人 迟到 早退 下班 效率 敷衍 慢吞吞 睡觉 打游戏 不处理 没动静 一拖再拖',
        ),
      },
      {
        key: 'shirk',
        name: '推（推诿扯皮）',
        keywords: words('推诿 扯皮 踢皮球 不归 推给 推回 不管 责任 互相推 职责 不是我 找别人 协调'),
      },
      {
        key: 'mess',
        name: '乱（乱作为）',
        keywords: words(
          '乱收费 乱罚款 收费 罚款 不公示 不规范 混乱 插队 随意 暗箱 标准 不一致 指定 门槛 材料',
        ),
      },
      {
        key: 'greed',
        name: '贪（吃拿卡要）',
        keywords: words(
          '送礼 红包 好处费 吃拿卡要 请吃饭 回扣 截留 关系户 打点 索要 购物卡 好处 公款 公车 烟酒 财物',
        ),
      },
    ],
  },
  {
    key: 'conduct5',
    name: '基层单位作风五个方面',
    topics: [
      {
        key: 'attitude',
        name: '服务态度',
        keywords: words('态度 冷漠 热情 耐心 不耐烦 脸色 语气 礼貌'),
      },
      {
        key: 'efficiency',
        name: '办事效率',
        keywords: words('效率 拖 拖延 跑 排队 等 慢 多次 一次办'),
      },
      {
        key: 'integrity',
        name: '廉洁自律',
        keywords: words('送礼 红包 好处 吃拿卡要 关系户 回扣 公款'),
      },
      {
        key: 'competence',
        name: '业务能力',
        keywords: words('业务 不熟 不清楚 说不清 解释 政策 出错 材料'),
      },
      {
        key: 'rules',
        name: '规范公开',
        keywords: words('公示 公开 收费 标准 流程 规范 指南 制度'),
      },
    ],
  },
];
