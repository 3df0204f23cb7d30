import { randomBytes } from 'node:crypto';
import { systemActor } from '../kernel/auth/index.ts';
import { withCreditCheck } from '../lib/credit-code.ts';
import type { IdentityService } from '../modules/identity/index.ts';

const ORGANIZATIONS = [
  {
    code: 'bjbdc',
    name: '北京市大数据中心',
    nameEn: 'Beijing Municipal Big Data Centre',
    kind: 'institution',
    credit: '12110000MB0123456',
  },
  {
    code: 'bjjtw',
    name: '北京市交通委员会',
    nameEn: 'Beijing Municipal Commission of Transport',
    kind: 'institution',
    credit: '11110000000021135',
  },
  {
    code: 'bjwjw',
    name: '北京市卫生健康委员会',
    nameEn: 'Beijing Municipal Health Commission',
    kind: 'institution',
    credit: '11110000000022137',
  },
  {
    code: 'haidian',
    name: '北京市海淀区人民政府',
    nameEn: 'Haidian District People’s Government',
    kind: 'institution',
    credit: '11110108000023142',
  },
  {
    code: 'bjsthjj',
    name: '北京市生态环境局',
    nameEn: 'Beijing Municipal Ecology and Environment Bureau',
    kind: 'institution',
    credit: '11110000000024151',
  },
  {
    code: 'bjscjgj',
    name: '北京市市场监督管理局',
    nameEn: 'Beijing Municipal Administration for Market Regulation',
    kind: 'institution',
    credit: '11110000000025163',
  },
  {
    code: 'bjghzrzyw',
    name: '北京市规划和自然资源委员会',
    nameEn: 'Beijing Municipal Commission of Planning and Natural Resources',
    kind: 'institution',
    credit: '11110000000026178',
  },
  {
    code: 'bjjw',
    name: '北京市教育委员会',
    nameEn: 'Beijing Municipal Education Commission',
    kind: 'institution',
    credit: '11110000000027184',
  },
  {
    code: 'demo-tech',
    name: '北京数智示范科技有限公司',
    nameEn: 'Beijing Shuzhi Demo Technology Co., Ltd.',
    kind: 'company',
    credit: '91110108MA01ABCD2',
  },
] as const;

const USERS = [
  {
    username: 'operator',
    displayName: '平台运营 Platform Operator',
    roles: ['operator'],
    org: 'bjbdc',
    role: 'admin',
  },
  {
    username: 'security',
    displayName: '安全官 Security Officer',
    roles: ['security_officer'],
    org: 'bjbdc',
    role: 'member',
  },
  {
    username: 'exchange',
    displayName: '交易所运营 Exchange Operator',
    roles: ['exchange_operator'],
    org: undefined,
    role: undefined,
  },
  { username: 'auditor', displayName: '审计员 Auditor', roles: ['auditor'], org: undefined, role: undefined },
  {
    username: 'statistician',
    displayName: '统计员 Statistician',
    roles: ['statistician'],
    org: undefined,
    role: undefined,
  },
  {
    username: 'transport-admin',
    displayName: '交通委管理员 Transport Admin',
    roles: [],
    org: 'bjjtw',
    role: 'admin',
  },
  {
    username: 'transport-editor',
    displayName: '交通委编辑 Transport Editor',
    roles: [],
    org: 'bjjtw',
    role: 'editor',
  },
  {
    username: 'health-admin',
    displayName: '卫健委管理员 Health Admin',
    roles: [],
    org: 'bjwjw',
    role: 'admin',
  },
  {
    username: 'haidian-member',
    displayName: '海淀区成员 Haidian Member',
    roles: [],
    org: 'haidian',
    role: 'member',
  },
  {
    username: 'company-admin',
    displayName: '企业管理员 Company Admin',
    roles: [],
    org: 'demo-tech',
    role: 'admin',
  },
  { username: 'citizen', displayName: '市民 Citizen', roles: [], org: undefined, role: undefined },
] as const;

export const DEMO_USERNAMES = USERS.map((u) => u.username);

export interface DemoCredentials {
  username: string;
  password: string;
  roles: string;
}

/** Loads the demo city through the services, so every demo object is on the transparency log. */
export async function seedDemo(
  identity: IdentityService,
  fixedPassword: string | undefined,
): Promise<DemoCredentials[]> {
  const actor = systemActor('demo-seed');
  const orgIds = new Map<string, string>();
  for (const org of ORGANIZATIONS) {
    const created = await identity.createOrganization(actor, {
      code: org.code,
      name: org.name,
      nameEn: org.nameEn,
      kind: org.kind,
      creditCode: withCreditCheck(org.credit),
    });
    orgIds.set(org.code, created.id);
  }
  const credentials: DemoCredentials[] = [];
  for (const user of USERS) {
    const password = fixedPassword ?? randomBytes(12).toString('base64url');
    const created = await identity.createUser(actor, {
      username: user.username,
      displayName: user.displayName,
      email: `${user.username}@demo.datapolis.invalid`,
      password,
      platformRoles: [...user.roles],
    });
    if (user.org !== undefined && user.role !== undefined) {
      await identity.setMember(actor, orgIds.get(user.org)!, created.id, user.role);
    }
    const roles = [...user.roles, ...(user.org === undefined ? [] : [`${user.role}@${user.org}`])];
    credentials.push({ username: user.username, password, roles: roles.join(', ') || 'citizen' });
  }
  return credentials;
}
