/**
 * The demo city's annual opening plans (Art. 18): two institutions and the demo company (Art. 18 ¶2), for
 * this year and the next. Items name demo catalog entries by their (unique) Chinese title. This year's
 * dates are set around the day the demo is loaded, when the demo catalog is published, so that the city
 * page shows every kind of progress: opened on time, opened late, overdue and planned.
 */

export type DemoProgress = 'opened_on_time' | 'opened_late' | 'overdue' | 'planned';

export interface DemoPlanItem {
  title: string;
  openType: 'unconditional' | 'conditional';
  condition?: string;
  plannedDate: string;
  /** What the item shows once the demo catalog is loaded the same day. */
  expected: DemoProgress;
}

export interface DemoPlan {
  organizationCode: string;
  year: number;
  items: DemoPlanItem[];
  /** Items added after approval, submitted and waiting for review: the approved items keep serving. */
  amendment?: DemoPlanItem[];
}

const DAY_MS = 86_400_000;

function shift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A day `days` away from `today`, kept inside `year` (plans hold only days of their own year). */
function around(today: string, days: number, year: number): string {
  const day = shift(today, days);
  if (day < `${year}-01-01`) return `${year}-01-01`;
  if (day > `${year}-12-31`) return `${year}-12-31`;
  return day;
}

type Spec = [title: string, kind: DemoProgress, days: number, condition?: string];

/** One item of this year's plan: `days` from the load day; entries published at load are opened then. */
function thisYear(today: string, year: number, [title, expected, days, condition]: Spec): DemoPlanItem {
  const plannedDate = around(today, days, year);
  // Near the ends of the year a past day may not exist in it (1 January): the item is then on time.
  const progress =
    expected === 'opened_late' && plannedDate >= today
      ? 'opened_on_time'
      : expected === 'overdue' && plannedDate >= today
        ? 'planned'
        : expected;
  return {
    title,
    openType: condition === undefined ? 'unconditional' : 'conditional',
    ...(condition === undefined ? {} : { condition }),
    plannedDate,
    expected: progress,
  };
}

function nextYear(year: number, [title, , monthDay, condition]: [string, 'planned', string, string?]) {
  return {
    title,
    openType: condition === undefined ? ('unconditional' as const) : ('conditional' as const),
    ...(condition === undefined ? {} : { condition }),
    plannedDate: `${year}-${monthDay}`,
    expected: 'planned' as const,
  };
}

const AGREEMENT = '签署数据使用协议，限于约定场景使用，不得转让第三方';
const RESEARCH = '限科研机构和医疗机构申请，数据经脱敏处理，按批次提供';

/** The plans for the year of `today` (a Beijing day, `YYYY-MM-DD`) and the next. */
export function demoOpeningPlans(today: string): DemoPlan[] {
  const year = Number(today.slice(0, 4));
  const next = year + 1;
  const here = (specs: Spec[]) => specs.map((s) => thisYear(today, year, s));
  return [
    {
      organizationCode: 'bjjtw',
      year,
      items: here([
        ['北京市公交线路', 'opened_on_time', 10],
        ['北京市实时路况', 'opened_on_time', 45],
        ['北京市公交车辆实时位置', 'opened_on_time', 30, AGREEMENT],
        ['北京市定制公交线路', 'opened_late', -40],
        ['北京市轨道交通分时段断面客流', 'overdue', -12, AGREEMENT],
        ['北京市综合客运枢纽', 'planned', 60],
        ['北京市小客车指标配置结果', 'planned', 120, '仅公开配置结果汇总，个人信息经脱敏处理'],
      ]),
    },
    {
      organizationCode: 'bjjtw',
      year: next,
      items: [
        nextYear(next, ['北京市公交车辆实时位置', 'planned', '03-31']),
        nextYear(next, ['北京市出租汽车驾驶员从业资格信息', 'planned', '06-30', AGREEMENT]),
      ],
      amendment: [nextYear(next, ['北京市轨道交通车站日进出站客流', 'planned', '09-30'])],
    },
    {
      organizationCode: 'bjwjw',
      year,
      items: here([
        ['北京市发热门诊', 'opened_on_time', 20],
        ['北京市执业医师注册信息', 'opened_on_time', 50, RESEARCH],
        ['北京市院前急救站点', 'opened_late', -25],
        ['北京市卫生应急物资储备', 'overdue', -5, RESEARCH],
        ['北京市医院预约挂号号源', 'planned', 75, AGREEMENT],
      ]),
    },
    {
      organizationCode: 'bjwjw',
      year: next,
      items: [nextYear(next, ['北京市法定传染病报告病例', 'planned', '06-30', RESEARCH])],
    },
    {
      organizationCode: 'demo-tech',
      year,
      items: here([
        ['数智停车平台接入泊位统计', 'opened_on_time', 15],
        ['城市出行OD聚合统计（脱敏）', 'opened_late', -10, AGREEMENT],
        ['数智示范科技碳排放核算', 'overdue', -30],
        ['数智示范科技专利与软件著作权清单', 'planned', 90],
      ]),
    },
  ];
}
