/*
 * The demo jurisdiction's name lists: 示范市, a fictional prefecture-level city. Departments, sections
 * and service items follow the way Chinese cities name them (the sections are the kind Nanchuan rates
 * in its “最难办事科室群众评”: those with approval, enforcement or public-service duties); people's names are
 * drawn from common surnames and given-name characters. Everything here is invented.
 */

/** Whether a section holds approval or enforcement power, or provides public services only. */
export type Duty = 'approval' | 'service';

export interface WindowSpec {
  name: string;
  items?: readonly string[];
  tags?: readonly string[];
}
/** A window given by its name alone, or with its own service items and tags. */
export type WindowEntry = string | WindowSpec;

export interface StationSpec {
  name: string;
  items?: readonly string[];
  windows?: readonly WindowEntry[];
  tags?: readonly string[];
  /** Stations below this one (community stations under a street's service centre). */
  children?: readonly StationSpec[];
}

export interface SectionSpec {
  name: string;
  duty: Duty;
  items: readonly string[];
  windows?: readonly WindowEntry[];
  stations?: readonly StationSpec[];
  tags?: readonly string[];
}

export interface DepartmentSpec {
  name: string;
  shortName: string;
  /** The head's title: 局长, 主任, 支队长 … */
  head: string;
  sections: readonly SectionSpec[];
  stations?: readonly StationSpec[];
  tags?: readonly string[];
}

export interface DistrictSpec {
  name: string;
  short: string;
  county: boolean;
  /** Street (街道) or township (乡镇) service centres, each with its community or village stations. */
  centres: readonly { name: string; villages: readonly string[] }[];
}

export interface CompanySpec {
  name: string;
  shortName: string;
  head: string;
  windows: readonly WindowEntry[];
  tags?: readonly string[];
}

// --- districts -------------------------------------------------------------------------------

export const CITY_NAME = '示范市';

export const DISTRICTS: readonly DistrictSpec[] = [
  {
    name: '东城区',
    short: '东城',
    county: false,
    centres: [
      { name: '人民路街道', villages: ['幸福里社区', '青年路社区'] },
      { name: '解放街道', villages: ['和平社区', '光明社区'] },
      { name: '东湖街道', villages: [] },
      { name: '文昌街道', villages: [] },
    ],
  },
  {
    name: '西湖区',
    short: '西湖',
    county: false,
    centres: [
      { name: '湖滨街道', villages: ['柳浪社区', '荷花池社区'] },
      { name: '西溪街道', villages: ['桂花园社区', '翠苑社区'] },
      { name: '北山街道', villages: [] },
      { name: '龙井街道', villages: [] },
    ],
  },
  {
    name: '江北区',
    short: '江北',
    county: false,
    centres: [
      { name: '滨江街道', villages: ['望江社区', '江南新村社区'] },
      { name: '铁路街道', villages: ['站前社区', '工人新村社区'] },
      { name: '新港街道', villages: [] },
      { name: '长岭街道', villages: [] },
    ],
  },
  {
    name: '临江县',
    short: '临江',
    county: true,
    centres: [
      { name: '城关镇', villages: ['东门村', '南关村'] },
      { name: '临江镇', villages: ['渡口村', '江湾村'] },
      { name: '白沙镇', villages: [] },
      { name: '石门乡', villages: [] },
    ],
  },
  {
    name: '青山县',
    short: '青山',
    county: true,
    centres: [
      { name: '青山镇', villages: ['上街村', '茶园村'] },
      { name: '梅溪镇', villages: ['梅林村', '溪口村'] },
      { name: '桃源乡', villages: [] },
      { name: '云岭乡', villages: [] },
    ],
  },
];

/** The windows of every district's government service hall (区县政务服务中心). */
export const DISTRICT_HALL_WINDOWS: readonly WindowEntry[] = [
  { name: '综合受理窗口1号', tags: ['一网通办', '重点窗口'] },
  { name: '综合受理窗口2号', tags: ['一网通办'] },
  { name: '综合受理窗口3号', tags: ['一网通办'] },
  { name: '综合受理窗口4号', tags: ['一网通办'] },
  { name: '企业开办专窗', items: ['企业开办一件事', '公章刻制备案'], tags: ['重点窗口'] },
  { name: '跨省通办窗口', items: ['社会保障卡跨省业务', '户籍类证明跨省开具'], tags: ['跨省通办'] },
  { name: '帮办代办窗口', items: ['重点项目帮办代办'], tags: ['帮办代办'] },
  {
    name: '24小时自助服务区',
    items: ['社保缴费记录自助打印', '不动产登记信息自助查询'],
    tags: ['24小时自助'],
  },
  { name: '“办不成事”反映窗口', items: ['办不成事反映受理'], tags: ['办不成事'] },
];

/** What a general intake window may accept (two per window, chosen at random). */
export const INTAKE_ITEMS: readonly string[] = [
  '个体工商户注册',
  '社会保障卡申领',
  '城乡居民医保参保登记',
  '居住证申领受理',
  '生育登记',
  '残疾人证申请受理',
  '就业失业登记',
  '高龄津贴申领',
  '不动产登记资料查询',
  '公积金缴存证明开具',
  '新生儿出生一件事',
  '退休一件事',
];

/** What a street or township service centre handles (three per centre, at random). */
export const CENTRE_ITEMS: readonly string[] = [
  '最低生活保障申请受理',
  '特困人员供养申请受理',
  '临时救助申请受理',
  '高龄津贴申领',
  '城乡居民医保参保登记',
  '城乡居民养老保险参保登记',
  '残疾人两项补贴申请',
  '居住证申领受理',
  '就业失业登记',
  '生育登记',
  '退役军人优待证申领受理',
  '农村宅基地申请受理',
];

/** What a community or village station handles (two per station, at random). */
export const VILLAGE_ITEMS: readonly string[] = [
  '高龄津贴申领受理',
  '城乡居民医保参保登记',
  '就业失业登记',
  '居民养老保险资格认证',
  '困难群众救助申请代办',
  '社区养老服务预约',
];

// --- city departments ------------------------------------------------------------------------

const D = DISTRICTS.map((d) => d.short);
const perDistrict = (suffix: string, extra: Omit<StationSpec, 'name'> = {}): StationSpec[] =>
  D.map((d) => ({ name: `${d}${suffix}`, ...extra }));

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  {
    name: '市发展和改革委员会',
    shortName: '市发改委',
    head: '主任',
    tags: ['营商环境'],
    sections: [
      {
        name: '价格和收费管理科',
        duty: 'approval',
        items: ['政府定价成本监审', '行政事业性收费标准审核', '涉案财物价格认定'],
      },
      {
        name: '固定资产投资科',
        duty: 'approval',
        items: ['企业投资项目核准', '企业投资项目备案', '政府投资项目可行性研究报告审批'],
        windows: [{ name: '投资项目审批窗口', items: ['投资项目在线审批监管平台赋码'], tags: ['一网通办'] }],
      },
      {
        name: '能源科',
        duty: 'approval',
        items: ['固定资产投资项目节能审查', '充电基础设施建设项目备案'],
      },
    ],
  },
  {
    name: '市教育局',
    shortName: '市教育局',
    head: '局长',
    sections: [
      {
        name: '民办教育管理科',
        duty: 'approval',
        items: ['民办学校办学许可', '民办学校变更审批', '校外培训机构设立审批'],
      },
      {
        name: '基础教育科',
        duty: 'service',
        items: ['义务教育阶段入学报名', '转学申请办理', '随迁子女入学资格审核'],
        tags: ['民生重点'],
      },
      {
        name: '教师工作科',
        duty: 'approval',
        items: ['教师资格认定', '教师资格证书补发换发'],
        windows: [{ name: '教师资格认定窗口', items: ['教师资格认定现场确认'] }],
      },
      {
        name: '学生资助管理科',
        duty: 'service',
        items: ['家庭经济困难学生资助申请', '生源地信用助学贷款'],
        windows: ['学生资助服务窗口'],
      },
    ],
    stations: [
      {
        name: '市教育考试院',
        items: ['高考报名资格审核', '自学考试毕业证书办理'],
        windows: ['招考服务窗口'],
      },
    ],
  },
  {
    name: '市科学技术局',
    shortName: '市科技局',
    head: '局长',
    sections: [
      {
        name: '高新技术科',
        duty: 'approval',
        items: ['高新技术企业认定初审', '科技型中小企业评价入库'],
      },
      {
        name: '科技成果转化科',
        duty: 'service',
        items: ['技术合同认定登记', '科技成果登记'],
      },
    ],
  },
  {
    name: '市工业和信息化局',
    shortName: '市经信局',
    head: '局长',
    sections: [
      {
        name: '投资与技术改造科',
        duty: 'approval',
        items: ['工业企业技术改造项目备案', '工业项目节能评估审查'],
      },
      {
        name: '中小企业服务科',
        duty: 'service',
        items: ['专精特新中小企业认定', '中小企业融资服务对接'],
      },
      {
        name: '无线电管理科',
        duty: 'approval',
        items: ['无线电台执照核发', '无线电频率使用许可'],
      },
    ],
  },
  {
    name: '市民族宗教事务局',
    shortName: '市民宗局',
    head: '局长',
    sections: [
      {
        name: '宗教事务科',
        duty: 'approval',
        items: ['宗教活动场所设立审批', '宗教临时活动地点审批'],
      },
    ],
  },
  {
    name: '市公安局',
    shortName: '市公安局',
    head: '局长',
    sections: [
      {
        name: '户政管理科',
        duty: 'approval',
        items: ['户口迁入审批', '居民身份证首次申领', '居住证签注'],
        tags: ['民生重点'],
      },
      {
        name: '出入境管理科',
        duty: 'approval',
        items: ['普通护照签发', '往来港澳通行证签发', '往来台湾通行证签发'],
        windows: [
          { name: '出入境业务窗口1号', items: ['出入境证件受理'], tags: ['重点窗口'] },
          { name: '出入境业务窗口2号', items: ['出入境证件受理'] },
          { name: '出入境证件自助签注区', items: ['港澳台再次签注'], tags: ['24小时自助'] },
        ],
      },
      {
        name: '治安管理科',
        duty: 'approval',
        items: ['旅馆业特种行业许可', '公章刻制业特种行业许可', '大型群众性活动安全许可'],
      },
      {
        name: '交通管理科',
        duty: 'approval',
        items: ['道路交通事故认定复核', '校车驾驶资格许可'],
        stations: [
          {
            name: '车辆管理所',
            items: ['机动车注册登记', '机动车转移登记', '机动车驾驶证换证'],
            windows: [
              { name: '机动车登记窗口1号', items: ['机动车注册登记'], tags: ['重点窗口'] },
              { name: '机动车登记窗口2号', items: ['机动车转移登记'] },
              { name: '驾驶证业务窗口', items: ['机动车驾驶证换证', '驾驶证补证'] },
            ],
          },
        ],
      },
    ],
    stations: [
      '人民路派出所',
      '解放派出所',
      '西溪派出所',
      '湖滨派出所',
      '滨江派出所',
      '铁路派出所',
      '城关派出所',
      '临江派出所',
      '青山派出所',
      '梅溪派出所',
    ].map((name) => ({
      name,
      items: ['居民身份证换领', '户口迁移', '出生登记'],
      windows: [{ name: '户籍窗口', items: ['户籍证明开具'], tags: ['跨省通办'] }],
    })),
  },
  {
    name: '市民政局',
    shortName: '市民政局',
    head: '局长',
    sections: [
      {
        name: '社会救助科',
        duty: 'service',
        items: ['最低生活保障审批', '特困人员救助供养审批', '临时救助审批'],
        tags: ['民生重点'],
      },
      {
        name: '社会组织管理科',
        duty: 'approval',
        items: ['社会团体成立登记', '民办非企业单位成立登记', '社会组织年度检查'],
      },
      {
        name: '养老服务科',
        duty: 'service',
        items: ['养老机构备案', '经济困难老年人养老服务补贴', '高龄津贴审核'],
      },
      {
        name: '社会事务科',
        duty: 'service',
        items: ['残疾人两项补贴审核', '殡葬设施建设审批'],
        stations: [
          {
            name: '市殡仪馆',
            items: ['遗体接运', '遗体火化', '骨灰寄存'],
            windows: ['殡葬服务窗口'],
          },
          { name: '市救助管理站', items: ['流浪乞讨人员救助'] },
        ],
      },
      {
        name: '区划地名科',
        duty: 'approval',
        items: ['地名命名更名审批', '门牌号码编制'],
      },
    ],
    stations: [
      {
        name: '市婚姻登记处',
        items: ['婚姻登记档案查询'],
        windows: [
          { name: '结婚登记窗口', items: ['内地居民结婚登记'], tags: ['重点窗口'] },
          { name: '离婚登记窗口', items: ['内地居民离婚登记'] },
          { name: '补领婚姻登记证窗口', items: ['补领婚姻登记证'] },
        ],
      },
    ],
  },
  {
    name: '市司法局',
    shortName: '市司法局',
    head: '局长',
    sections: [
      {
        name: '公共法律服务管理科',
        duty: 'service',
        items: ['法律援助申请审查', '人民调解申请'],
      },
      {
        name: '律师工作科',
        duty: 'approval',
        items: ['律师执业许可初审', '律师事务所设立初审'],
      },
      {
        name: '行政复议科',
        duty: 'approval',
        items: ['行政复议申请受理'],
      },
    ],
    stations: [
      {
        name: '市公共法律服务中心',
        windows: [
          { name: '法律援助窗口', items: ['法律援助申请受理'] },
          { name: '公证服务窗口', items: ['公证申请受理'] },
        ],
      },
    ],
  },
  {
    name: '市财政局',
    shortName: '市财政局',
    head: '局长',
    sections: [
      {
        name: '政府采购监督管理科',
        duty: 'approval',
        items: ['政府采购投诉处理', '政府采购方式变更审批'],
      },
      {
        name: '会计科',
        duty: 'approval',
        items: ['代理记账机构执业许可', '会计人员信息采集'],
      },
    ],
  },
  {
    name: '市人力资源和社会保障局',
    shortName: '市人社局',
    head: '局长',
    sections: [
      {
        name: '就业促进科',
        duty: 'service',
        items: ['就业登记', '失业登记', '创业担保贷款申请'],
        windows: [
          { name: '就业服务窗口1号', items: ['失业保险金申领'], tags: ['重点窗口'] },
          { name: '就业服务窗口2号', items: ['就业困难人员认定'] },
        ],
      },
      {
        name: '养老保险科',
        duty: 'service',
        items: ['企业职工基本养老保险参保登记', '养老保险关系转移接续', '退休待遇核定'],
        windows: [
          { name: '社保经办窗口1号', items: ['社会保险参保信息查询'], tags: ['跨省通办'] },
          { name: '社保经办窗口2号', items: ['社会保险参保缴费证明开具'] },
          { name: '社保经办窗口3号', items: ['退休人员领取待遇资格认证'] },
        ],
      },
      {
        name: '城乡居民养老保险科',
        duty: 'service',
        items: ['城乡居民养老保险参保登记', '城乡居民养老保险待遇申领'],
        windows: [
          { name: '城乡居民养老保险窗口1号', items: ['城乡居民养老保险关系转续'] },
          { name: '城乡居民养老保险窗口2号', items: ['城乡居民养老保险注销登记'] },
        ],
      },
      {
        name: '工伤保险科',
        duty: 'approval',
        items: ['工伤认定', '劳动能力鉴定申请'],
        windows: ['工伤认定窗口'],
      },
      {
        name: '劳动关系科',
        duty: 'approval',
        items: ['劳务派遣经营许可', '特殊工时工作制审批'],
      },
      {
        name: '职业能力建设科',
        duty: 'service',
        items: ['职业技能等级认定', '职业培训补贴申领'],
      },
    ],
    stations: [
      {
        name: '市劳动人事争议仲裁院',
        items: ['劳动人事争议仲裁申请'],
        windows: ['仲裁立案窗口'],
      },
      { name: '市劳动保障监察支队', items: ['劳动保障监察投诉受理', '拖欠农民工工资举报受理'] },
    ],
  },
  {
    name: '市自然资源和规划局',
    shortName: '市自然资源规划局',
    head: '局长',
    tags: ['营商环境'],
    sections: [
      {
        name: '国土空间规划科',
        duty: 'approval',
        items: ['规划条件出具', '建设项目用地预审与选址意见书'],
      },
      {
        name: '建设工程规划许可科',
        duty: 'approval',
        items: ['建设工程规划许可', '建设用地规划许可', '建设工程规划条件核实'],
        windows: [{ name: '规划许可窗口', items: ['乡村建设规划许可'], tags: ['重点窗口'] }],
      },
      {
        name: '自然资源开发利用科',
        duty: 'approval',
        items: ['建设用地审批', '国有建设用地使用权划拨'],
        windows: ['用地审批窗口'],
      },
      {
        name: '测绘地理信息科',
        duty: 'approval',
        items: ['测绘资质审批', '地图审核'],
      },
      {
        name: '矿产资源管理科',
        duty: 'approval',
        items: ['采矿权新立登记', '采矿权延续登记'],
      },
    ],
    stations: [
      ...perDistrict('自然资源所', { items: ['农村宅基地规划许可'] }),
      { name: '市自然资源执法监察支队', items: ['违法用地举报受理'] },
    ],
  },
  {
    name: '市生态环境局',
    shortName: '市生态环境局',
    head: '局长',
    sections: [
      {
        name: '环境影响评价与排放管理科',
        duty: 'approval',
        items: ['建设项目环境影响报告书审批', '建设项目环境影响报告表审批', '排污许可证核发'],
        windows: [{ name: '环评审批窗口', items: ['建设项目环境影响登记表备案'] }],
      },
      {
        name: '固体废物与化学品管理科',
        duty: 'approval',
        items: ['危险废物经营许可', '危险废物转移审批'],
      },
      {
        name: '辐射安全管理科',
        duty: 'approval',
        items: ['辐射安全许可证核发'],
      },
    ],
    stations: [
      ...perDistrict('生态环境分局', { items: ['环境污染投诉受理'] }),
      { name: '市生态环境保护综合行政执法支队', items: ['生态环境违法行为举报受理'] },
    ],
  },
  {
    name: '市住房和城乡建设局',
    shortName: '市住建局',
    head: '局长',
    tags: ['营商环境'],
    sections: [
      {
        name: '建筑市场监管科',
        duty: 'approval',
        items: ['建筑工程施工许可', '建筑业企业资质核准'],
        windows: [{ name: '施工许可窗口', items: ['建设工程竣工验收备案'], tags: ['重点窗口'] }],
        stations: [{ name: '市建设工程质量监督站', items: ['工程质量安全监督手续办理'] }],
      },
      {
        name: '房地产市场监管科',
        duty: 'approval',
        items: ['商品房预售许可', '房地产开发企业资质核定'],
      },
      {
        name: '住房保障科',
        duty: 'service',
        items: ['公共租赁住房申请', '住房租赁补贴申请'],
        windows: ['住房保障窗口'],
        tags: ['民生重点'],
      },
      {
        name: '物业管理科',
        duty: 'approval',
        items: ['住宅专项维修资金使用审核', '物业服务投诉处理'],
      },
      {
        name: '城市建设科',
        duty: 'approval',
        items: ['城市排水许可', '城镇燃气经营许可'],
      },
    ],
    stations: [
      {
        name: '市房产交易服务中心',
        items: ['商品房买卖合同网签备案', '存量房交易资金监管'],
        windows: ['房产交易窗口1号', '房产交易窗口2号'],
      },
    ],
  },
  {
    name: '市交通运输局',
    shortName: '市交通运输局',
    head: '局长',
    sections: [
      {
        name: '运输管理科',
        duty: 'approval',
        items: ['道路旅客运输经营许可', '道路货物运输经营许可', '网络预约出租汽车驾驶员证核发'],
      },
      {
        name: '公路管理科',
        duty: 'approval',
        items: ['公路超限运输许可', '涉路施工许可'],
      },
      {
        name: '港航管理科',
        duty: 'approval',
        items: ['港口经营许可', '船舶营业运输证核发'],
      },
    ],
    stations: [
      {
        name: '市道路运输管理所',
        items: ['道路运输从业人员从业资格证核发'],
        windows: [{ name: '运政业务窗口1号', tags: ['重点窗口'] }, '运政业务窗口2号'],
      },
      { name: '市交通运输综合行政执法支队', items: ['非法营运举报受理'] },
    ],
  },
  {
    name: '市水利局',
    shortName: '市水利局',
    head: '局长',
    sections: [
      {
        name: '水资源管理科',
        duty: 'approval',
        items: ['取水许可', '水资源论证报告审查'],
      },
      {
        name: '河湖管理科',
        duty: 'approval',
        items: ['河道管理范围内建设项目审批', '河道采砂许可'],
      },
      {
        name: '水土保持科',
        duty: 'approval',
        items: ['生产建设项目水土保持方案审批'],
      },
    ],
    stations: [{ name: '市水政监察支队', items: ['水事违法行为举报受理'] }],
  },
  {
    name: '市农业农村局',
    shortName: '市农业农村局',
    head: '局长',
    sections: [
      {
        name: '种植业管理科',
        duty: 'approval',
        items: ['农作物种子生产经营许可', '农药经营许可'],
      },
      {
        name: '畜牧兽医科',
        duty: 'approval',
        items: ['动物防疫条件合格证核发', '兽药经营许可'],
      },
      {
        name: '农村经营管理科',
        duty: 'service',
        items: ['农村土地承包经营权流转备案', '家庭农场名录登记'],
      },
      {
        name: '渔业渔政科',
        duty: 'approval',
        items: ['水产苗种生产许可', '渔业捕捞许可'],
      },
    ],
    stations: [
      { name: '市农业综合行政执法支队', items: ['农资打假举报受理'] },
      { name: '临江农业技术推广站', items: ['农业技术咨询'] },
      { name: '青山农业技术推广站', items: ['农业技术咨询'] },
    ],
  },
  {
    name: '市商务局',
    shortName: '市商务局',
    head: '局长',
    sections: [
      {
        name: '对外贸易科',
        duty: 'approval',
        items: ['对外贸易经营者备案登记', '技术进出口合同登记'],
      },
      {
        name: '市场体系建设科',
        duty: 'approval',
        items: ['单用途商业预付卡备案', '报废机动车回收拆解企业资质认定', '成品油零售经营许可初审'],
      },
    ],
  },
  {
    name: '市文化和旅游局',
    shortName: '市文旅局',
    head: '局长',
    sections: [
      {
        name: '文化市场管理科',
        duty: 'approval',
        items: ['营业性演出审批', '娱乐场所经营许可', '互联网上网服务营业场所设立审批'],
      },
      {
        name: '旅游市场管理科',
        duty: 'approval',
        items: ['旅行社设立许可', '导游证核发'],
      },
      {
        name: '广播电视管理科',
        duty: 'approval',
        items: ['卫星电视广播地面接收设施安装许可'],
      },
    ],
    stations: [
      { name: '市文化市场综合行政执法支队', items: ['文化市场违法行为举报受理'] },
      {
        name: '市图书馆',
        items: ['读者证办理', '图书借阅'],
        windows: [{ name: '借阅服务台', tags: ['24小时自助'] }],
      },
    ],
  },
  {
    name: '市卫生健康委员会',
    shortName: '市卫健委',
    head: '主任',
    sections: [
      {
        name: '医政医管科',
        duty: 'approval',
        items: ['医疗机构设置审批', '医疗机构执业登记', '医师执业注册', '护士执业注册'],
        windows: [{ name: '医政审批窗口', items: ['医师执业证书变更'] }],
      },
      {
        name: '人口监测与家庭发展科',
        duty: 'service',
        items: ['生育登记服务', '计划生育家庭特别扶助金申领'],
      },
    ],
    stations: [
      {
        name: '市卫生健康综合监督执法支队',
        items: ['公共场所卫生许可', '生活饮用水供水单位卫生许可'],
        windows: ['卫生许可窗口'],
      },
    ],
  },
  {
    name: '市退役军人事务局',
    shortName: '市退役军人局',
    head: '局长',
    sections: [
      {
        name: '优抚科',
        duty: 'service',
        items: ['退役军人优待证申领', '伤残抚恤金申领', '烈士褒扬金发放'],
      },
      {
        name: '移交安置与就业创业科',
        duty: 'service',
        items: ['退役士兵安置', '退役军人就业创业扶持'],
      },
    ],
    stations: [
      {
        name: '市退役军人服务中心',
        items: ['退役军人信息采集'],
        windows: ['退役军人服务窗口'],
      },
    ],
  },
  {
    name: '市应急管理局',
    shortName: '市应急管理局',
    head: '局长',
    sections: [
      {
        name: '危险化学品安全监督管理科',
        duty: 'approval',
        items: ['危险化学品经营许可', '危险化学品建设项目安全条件审查'],
      },
      {
        name: '非煤矿山和工贸安全科',
        duty: 'approval',
        items: ['非煤矿山安全生产许可', '烟花爆竹经营（零售）许可'],
      },
    ],
    stations: [{ name: '市应急管理综合行政执法支队', items: ['安全生产举报受理'] }],
  },
  {
    name: '市市场监督管理局',
    shortName: '市市场监管局',
    head: '局长',
    tags: ['营商环境'],
    sections: [
      {
        name: '登记注册科',
        duty: 'approval',
        items: ['企业设立登记', '企业变更登记', '企业注销登记', '个体工商户注册'],
        windows: [
          { name: '企业登记窗口1号', items: ['企业设立登记（窗口）'], tags: ['重点窗口', '一网通办'] },
          { name: '企业登记窗口2号', items: ['企业变更登记（窗口）'], tags: ['一网通办'] },
          { name: '企业登记窗口3号', items: ['企业简易注销登记'] },
          { name: '个体工商户登记窗口', items: ['个体工商户变更登记'] },
        ],
      },
      {
        name: '食品经营安全监督管理科',
        duty: 'approval',
        items: ['食品经营许可', '食品生产许可', '食品小作坊登记'],
        windows: [{ name: '食品许可窗口', items: ['食品经营许可变更'], tags: ['重点窗口'] }],
      },
      {
        name: '特种设备安全监察科',
        duty: 'approval',
        items: ['特种设备使用登记', '特种设备作业人员资格认定'],
        windows: ['特种设备登记窗口'],
      },
      {
        name: '计量科',
        duty: 'approval',
        items: ['计量标准器具核准', '计量器具强制检定'],
      },
      {
        name: '知识产权科',
        duty: 'service',
        items: ['知识产权维权援助', '专利权质押登记'],
      },
      {
        name: '消费者权益保护科',
        duty: 'approval',
        items: ['消费投诉受理', '消费举报处理'],
      },
      {
        name: '药品医疗器械监督管理科',
        duty: 'approval',
        items: ['药品零售经营许可', '第二类医疗器械经营备案'],
      },
    ],
    stations: [
      '人民路市场监管所',
      '东湖市场监管所',
      '湖滨市场监管所',
      '西溪市场监管所',
      '滨江市场监管所',
      '新港市场监管所',
      '临江市场监管所',
      '青山市场监管所',
    ].map((name) => ({ name, items: ['食品经营许可现场核查', '消费纠纷调解'] })),
  },
  {
    name: '市体育局',
    shortName: '市体育局',
    head: '局长',
    sections: [
      {
        name: '群众体育科',
        duty: 'approval',
        items: ['高危险性体育项目经营许可', '体育类社会组织成立前置审查'],
      },
    ],
  },
  {
    name: '市医疗保障局',
    shortName: '市医保局',
    head: '局长',
    sections: [
      {
        name: '待遇保障科',
        duty: 'service',
        items: ['异地就医备案', '门诊慢特病待遇认定', '生育医疗费用报销'],
        tags: ['民生重点'],
      },
      {
        name: '医药服务管理科',
        duty: 'approval',
        items: ['定点医药机构申请受理', '医保药品目录外用药备案'],
      },
      {
        name: '基金监管科',
        duty: 'approval',
        items: ['医保基金违法违规举报受理'],
      },
    ],
    stations: [
      {
        name: '市医疗保障服务中心',
        items: ['零星医疗费用报销', '医保关系转移接续'],
        windows: [
          {
            name: '医保经办窗口1号',
            items: ['城乡居民医保参保登记（市级）'],
            tags: ['重点窗口', '跨省通办'],
          },
          { name: '医保经办窗口2号', items: ['医保个人账户一次性支取'] },
          { name: '医保经办窗口3号', items: ['医保电子凭证激活辅导'] },
        ],
      },
    ],
  },
  {
    name: '市林业局',
    shortName: '市林业局',
    head: '局长',
    sections: [
      {
        name: '森林资源管理科',
        duty: 'approval',
        items: ['林木采伐许可', '使用林地审核'],
      },
      {
        name: '野生动植物保护科',
        duty: 'approval',
        items: ['陆生野生动物人工繁育许可', '野生植物采集许可'],
      },
    ],
  },
  {
    name: '市城市管理局',
    shortName: '市城管局',
    head: '局长',
    sections: [
      {
        name: '市容环境卫生管理科',
        duty: 'approval',
        items: ['城市建筑垃圾处置核准', '户外广告设施设置审批', '临时占道经营许可'],
      },
      {
        name: '市政设施管理科',
        duty: 'approval',
        items: ['挖掘城市道路许可', '占用城市道路许可', '城市绿地占用审批'],
      },
      {
        name: '执法监督科',
        duty: 'approval',
        items: ['城市管理违法行为投诉受理'],
      },
    ],
    stations: perDistrict('城管执法大队', { items: ['市容环境投诉处置'] }),
  },
  {
    name: '市信访局',
    shortName: '市信访局',
    head: '局长',
    sections: [
      {
        name: '来访接待科',
        duty: 'service',
        items: ['群众来访接待', '网上信访受理'],
        windows: ['来访接待窗口'],
      },
    ],
  },
  {
    name: '市行政审批服务局',
    shortName: '市审批局',
    head: '局长',
    tags: ['营商环境'],
    sections: [
      {
        name: '窗口服务科',
        duty: 'service',
        items: ['综合窗口受理', '企业开办一件事', '新生儿出生一件事'],
        tags: ['一网通办'],
      },
      {
        name: '投资项目审批科',
        duty: 'approval',
        items: ['施工图联合审查', '工程建设项目联合验收', '市政公用设施接入联合报装'],
      },
      {
        name: '社会事务审批科',
        duty: 'approval',
        items: ['民办职业培训学校设立审批', '公共场所卫生许可（集中审批）'],
      },
      {
        name: '政务服务监督科',
        duty: 'service',
        items: ['政务服务好差评差评回访', '办不成事反映受理'],
      },
    ],
    stations: [
      {
        name: '市政务服务中心',
        tags: ['一网通办'],
        windows: [
          { name: '综合受理窗口1号', tags: ['一网通办', '重点窗口'] },
          { name: '综合受理窗口2号', tags: ['一网通办'] },
          { name: '综合受理窗口3号', tags: ['一网通办'] },
          { name: '综合受理窗口4号', tags: ['一网通办'] },
          { name: '综合受理窗口5号', tags: ['一网通办'] },
          { name: '综合受理窗口6号', tags: ['一网通办'] },
          { name: '企业开办综合窗口', items: ['企业开办一件事（现场）'], tags: ['重点窗口'] },
          { name: '工程建设项目综合窗口', items: ['工程建设项目审批综合受理'] },
          { name: '跨省通办专窗', items: ['跨省通办事项代收代办'], tags: ['跨省通办'] },
          { name: '帮办代办窗口', items: ['重大项目帮办代办'], tags: ['帮办代办'] },
          { name: '“办不成事”反映窗口', items: ['办不成事现场反映'], tags: ['办不成事'] },
          { name: '24小时自助服务区', items: ['政务服务自助办理'], tags: ['24小时自助'] },
        ],
      },
    ],
  },
  {
    name: '市人民防空办公室',
    shortName: '市人防办',
    head: '主任',
    sections: [
      {
        name: '人防工程管理科',
        duty: 'approval',
        items: ['防空地下室易地建设审批', '人防工程竣工验收备案'],
      },
    ],
  },
  {
    name: '市档案馆',
    shortName: '市档案馆',
    head: '馆长',
    sections: [
      {
        name: '利用服务科',
        duty: 'service',
        items: ['档案查阅利用', '婚姻档案出证', '知青档案查询'],
        windows: ['档案查阅窗口'],
      },
    ],
  },
  {
    name: '市残疾人联合会',
    shortName: '市残联',
    head: '理事长',
    sections: [
      {
        name: '康复服务科',
        duty: 'service',
        items: ['残疾人证核发', '残疾人辅助器具适配', '残疾儿童康复救助'],
        windows: ['残疾人服务窗口'],
      },
      {
        name: '教育就业科',
        duty: 'service',
        items: ['残疾人就业登记', '残疾人职业培训补贴'],
      },
    ],
  },
  {
    name: '国家税务总局示范市税务局',
    shortName: '市税务局',
    head: '局长',
    tags: ['营商环境'],
    sections: [
      {
        name: '纳税服务科',
        duty: 'service',
        items: ['发票领用', '税务登记信息确认', '个人所得税综合所得汇算清缴辅导'],
        windows: [
          { name: '办税服务厅窗口1号', items: ['增值税专用发票代开'], tags: ['重点窗口'] },
          { name: '办税服务厅窗口2号', items: ['契税申报'] },
          { name: '办税服务厅窗口3号', items: ['车辆购置税申报'] },
        ],
      },
      {
        name: '征收管理科',
        duty: 'approval',
        items: ['纳税信用复评', '延期缴纳税款核准'],
      },
      {
        name: '社会保险费科',
        duty: 'service',
        items: ['灵活就业人员社保费缴纳', '城乡居民医保费缴纳'],
      },
      {
        name: '税政科',
        duty: 'approval',
        items: ['税收优惠备案', '资源税减免核准'],
      },
    ],
    stations: perDistrict('税务分局', {
      items: ['涉税事项综合办理'],
      windows: [{ name: '办税窗口1号', items: ['发票代开'] }, '办税窗口2号'],
    }),
  },
  {
    name: '市气象局',
    shortName: '市气象局',
    head: '局长',
    sections: [
      {
        name: '法规与减灾科',
        duty: 'approval',
        items: ['雷电防护装置设计审核', '雷电防护装置竣工验收', '升放无人驾驶自由气球审批'],
      },
    ],
  },
  {
    name: '市烟草专卖局',
    shortName: '市烟草专卖局',
    head: '局长',
    sections: [
      {
        name: '专卖许可科',
        duty: 'approval',
        items: ['烟草专卖零售许可证新办', '烟草专卖零售许可证延续'],
        windows: ['专卖许可窗口'],
      },
    ],
  },
  {
    name: '市邮政管理局',
    shortName: '市邮政管理局',
    head: '局长',
    sections: [
      {
        name: '市场监管科',
        duty: 'approval',
        items: ['快递业务经营许可', '快递末端网点备案', '邮政快递服务申诉受理'],
      },
    ],
  },
  {
    name: '市消防救援支队',
    shortName: '市消防支队',
    head: '支队长',
    sections: [
      {
        name: '防火监督科',
        duty: 'approval',
        items: ['公众聚集场所投入使用营业前消防安全检查', '消防安全违法行为举报受理'],
        windows: ['消防审批窗口'],
      },
    ],
  },
  {
    name: '市不动产登记中心',
    shortName: '市不动产登记中心',
    head: '主任',
    tags: ['营商环境'],
    sections: [
      {
        name: '登记受理科',
        duty: 'approval',
        items: [
          '不动产转移登记',
          '不动产抵押登记',
          '国有建设用地使用权及房屋所有权首次登记',
          '不动产更正登记',
        ],
        windows: [
          { name: '不动产登记窗口1号', items: ['二手房交易登记一窗办理'], tags: ['重点窗口'] },
          { name: '不动产登记窗口2号', items: ['抵押权登记一窗办理'] },
          { name: '不动产登记窗口3号', items: ['预告登记'] },
          { name: '不动产登记窗口4号', items: ['不动产注销登记'] },
        ],
      },
      {
        name: '权籍调查科',
        duty: 'approval',
        items: ['不动产权籍调查成果审核', '不动产单元代码赋码'],
      },
      {
        name: '档案信息科',
        duty: 'service',
        items: ['不动产登记资料查询', '不动产登记证明补发'],
        windows: [{ name: '不动产信息查询窗口', items: ['不动产登记信息网上查询辅导'] }],
      },
    ],
    stations: ['东城', '西湖', '临江', '青山'].map((d) => ({
      name: `${d}不动产登记分中心`,
      items: ['不动产登记综合受理'],
      windows: ['登记窗口'],
    })),
  },
  {
    name: '市住房公积金管理中心',
    shortName: '市公积金中心',
    head: '主任',
    sections: [
      {
        name: '归集管理科',
        duty: 'service',
        items: ['单位缴存登记', '个人住房公积金账户设立', '缴存基数调整'],
      },
      {
        name: '提取管理科',
        duty: 'service',
        items: ['住房公积金提取（购房）', '住房公积金提取（租房）', '住房公积金提取（退休）'],
        windows: [
          { name: '公积金业务窗口1号', items: ['公积金异地转移接续'], tags: ['跨省通办', '重点窗口'] },
          { name: '公积金业务窗口2号', items: ['公积金缴存证明开具'] },
        ],
      },
      {
        name: '贷款管理科',
        duty: 'approval',
        items: ['住房公积金个人住房贷款申请', '公积金贷款提前还款'],
        windows: ['公积金贷款窗口'],
      },
    ],
    stations: perDistrict('管理部', {
      items: ['公积金综合业务办理'],
      windows: ['业务窗口'],
    }),
  },
];

// --- utilities -------------------------------------------------------------------------------

export const COMPANIES: readonly CompanySpec[] = [
  {
    name: '示范市自来水有限公司',
    shortName: '市自来水公司',
    head: '总经理',
    windows: [
      { name: '中心营业厅窗口1号', items: ['用水报装', '用水过户'], tags: ['重点窗口'] },
      { name: '中心营业厅窗口2号', items: ['水费缴纳', '水表故障报修'] },
      { name: '江北营业所窗口', items: ['用水报装', '水费缴纳'] },
    ],
  },
  {
    name: '国网示范市供电公司',
    shortName: '市供电公司',
    head: '总经理',
    windows: [
      { name: '城区供电营业厅窗口1号', items: ['低压居民新装', '用电增容'], tags: ['重点窗口'] },
      { name: '城区供电营业厅窗口2号', items: ['电费缴纳', '用电过户'] },
      { name: '临江供电营业厅窗口', items: ['低压居民新装', '峰谷电价变更'] },
    ],
  },
  {
    name: '示范市燃气集团有限公司',
    shortName: '市燃气集团',
    head: '总经理',
    windows: [
      { name: '燃气营业厅窗口1号', items: ['燃气开户', '燃气过户'] },
      { name: '燃气营业厅窗口2号', items: ['燃气费缴纳', '燃气安全检查预约'] },
    ],
  },
  {
    name: '示范市公共交通集团有限公司',
    shortName: '市公交集团',
    head: '总经理',
    windows: [{ name: '公交卡服务窗口', items: ['公交卡办理', '老年人优待乘车卡办理'] }],
  },
];

// --- the institutional reform the demo shows -------------------------------------------------

/** A department renamed on 2025-01-01. */
export const RENAMED_DEPARTMENT = {
  from: '市城市管理局',
  to: '市城市管理和综合行政执法局',
  shortName: '市城管执法局',
  effectiveFrom: '2025-01-01',
} as const;

/** A section merged into another on 2025-07-01: its windows, items and staff move, then it closes. */
export const MERGED_SECTION = {
  department: '市人力资源和社会保障局',
  from: '城乡居民养老保险科',
  into: '养老保险科',
  effectiveFrom: '2025-07-01',
} as const;

/** The department whose contact person gets the demo's unit-staff account. */
export const STAFF_DEPARTMENT = '市市场监督管理局';

// --- people ----------------------------------------------------------------------------------

/** Common surnames, most frequent first (the generator weights them by rank). */
export const SURNAMES: readonly string[] = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];

/** First characters of two-character given names, by the gender the name usually belongs to. */
export const GIVEN_FIRST_MALE: readonly string[] = [...'建国志文海永春新立家子嘉明金世振天宏德俊少学晓浩宇'];
export const GIVEN_FIRST_FEMALE: readonly string[] = [...'晓春新丽佳思雨秀玉美雅欣梦诗若嘉婉慧静一晨'];

/** Characters that end a given name, or make it alone. */
export const GIVEN_MALE: readonly string[] = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁浩凯健俊帆旭宇林峰亮成龙东江阳民生荣',
];
export const GIVEN_FEMALE: readonly string[] = [
  ...'芳娜敏静丽艳娟霞燕玲婷雪慧颖琳倩洁萍红梅莉丹蓉欣悦怡璐瑶雯琴露薇华英',
];
