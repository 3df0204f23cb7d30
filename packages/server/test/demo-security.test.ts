import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import { isMobile, isResidentId } from '../src/modules/security/index.ts';
import {
  CLINIC_ORGANIZATION,
  CLINIC_ROWS,
  CLINIC_TITLE,
  clinicVisits,
  clinicVisitsTable,
  DEMO_OFFICERS,
  PROPOSED_GRADING,
  residentIdCheck,
} from '../src/platform/demo-security.ts';
import type { TestPlatform } from './support/test-platform.ts';

const SYSTEM = systemActor('test');

describe('demo clinic visits', () => {
  const rows = clinicVisits();

  it('are deterministic', () => {
    expect(JSON.stringify(clinicVisits())).toBe(JSON.stringify(rows));
    expect(clinicVisitsTable().content).toBe(clinicVisitsTable().content);
  });

  it('compute the MOD 11-2 check character as the standard does', () => {
    // GB 11643-1999's worked example: 11010519491231002X.
    expect(residentIdCheck('11010519491231002')).toBe('X');
    // Any other check character makes the number invalid.
    for (const check of '0123456789X') {
      const id = `11010519491231002${check}`;
      expect(isResidentId(id), id).toBe(check === 'X');
    }
  });

  it('hold valid, distinct identity numbers and mobile numbers, consistent with age, sex and district', () => {
    expect(rows).toHaveLength(CLINIC_ROWS);
    expect(new Set(rows.map((r) => r.id_number)).size).toBe(CLINIC_ROWS);
    expect(new Set(rows.map((r) => r.phone)).size).toBe(CLINIC_ROWS);
    expect(new Set(rows.map((r) => r.visit_id)).size).toBe(CLINIC_ROWS);
    for (const r of rows) {
      expect(isResidentId(r.id_number), r.id_number).toBe(true);
      expect(r.id_number.slice(0, 2)).toBe('11');
      expect(isMobile(r.phone), r.phone).toBe(true);
      expect(r.phone.slice(3, 7)).toBe('0000');
      expect(r.visit_id.startsWith('DEMO-')).toBe(true);
      // Sex from the order code's last digit, age from the birth date.
      expect(Number(r.id_number[16]) % 2 === 1 ? '男' : '女').toBe(r.sex);
      const birth = `${r.id_number.slice(6, 10)}-${r.id_number.slice(10, 12)}-${r.id_number.slice(12, 14)}`;
      const years = Number(r.visit_date.slice(0, 4)) - Number(birth.slice(0, 4));
      expect(r.age).toBe(r.visit_date.slice(5) < birth.slice(5) ? years - 1 : years);
      expect(r.age).toBeGreaterThanOrEqual(0);
      expect(r.age).toBeLessThan(90);
      expect(r.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect(r.district).toMatch(/区$/);
    }
    // The check characters include X (about one in eleven).
    expect(rows.some((r) => r.id_number.endsWith('X'))).toBe(true);
  });
});

describe('demo security on a seeded platform', () => {
  let t: TestPlatform | undefined;
  const orgIds = new Map<string, string>();
  beforeAll(async () => {
    const { startTestPlatform } = await import('./support/test-platform.ts');
    t = await startTestPlatform({}, { seedCatalog: true });
    for (const o of (await t.platform.identity.listOrganizations(undefined, 0, 100)).items)
      orgIds.set(o.code, o.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function clinicResource() {
    const entries = await t!.platform.catalog.entriesOf(SYSTEM, orgIds.get(CLINIC_ORGANIZATION)!);
    const entry = entries.find((e) => e.title.zh === CLINIC_TITLE);
    expect(entry, CLINIC_TITLE).toBeDefined();
    const resources = await t!.platform.datastore.listResources(SYSTEM, entry!.code);
    expect(resources).toHaveLength(1);
    return { code: entry!.code, resourceId: resources[0]!.id };
  }

  it('names a chief data officer and a security officer, members of each institution with members', async () => {
    for (const spec of DEMO_OFFICERS) {
      const organizationId = orgIds.get(spec.organizationCode)!;
      const officers = await t!.platform.security.grading.officers(SYSTEM, organizationId);
      const members = (await t!.platform.identity.listMembers(SYSTEM, organizationId)).items;
      const cdo = await t!.platform.identity.userByUsername(spec.chiefDataOfficer);
      const so = await t!.platform.identity.userByUsername(spec.securityOfficer);
      expect(officers.chiefDataOfficer?.userId, spec.organizationCode).toBe(cdo!.id);
      expect(officers.securityOfficer?.userId, spec.organizationCode).toBe(so!.id);
      for (const id of [cdo!.id, so!.id]) expect(members.some((m) => m.userId === id)).toBe(true);
    }
  });

  it('publishes the clinic sample not opened, with its rows readable by its provider only', async () => {
    const { code, resourceId } = await clinicResource();
    const published = await t!.platform.catalog.getPublished(SYSTEM, code);
    expect(published.state).toBe('published');
    expect(published.metadata.openType).toBe('not_open');
    const items = new Map(published.metadata.informationItems.map((i) => [i.name, i.personalInfo]));
    expect(items.get('id_number')).toBe('sensitive');
    expect(items.get('diagnosis')).toBe('sensitive');
    expect(items.get('name')).toBe('personal');

    const anonymous = await t!.platform.app.inject({
      method: 'GET',
      url: `/api/v1/datastore/${resourceId}/records?limit=5`,
    });
    // Not opened: the table is hidden from those the terms do not let in.
    expect([403, 404], anonymous.body).toContain(anonymous.statusCode);
    expect(anonymous.body).not.toContain('DEMO-V');

    const citizen = await t!.login('citizen');
    const denied = await t!.platform.app.inject({
      method: 'GET',
      url: `/api/v1/datastore/${resourceId}/records?limit=5`,
      headers: { cookie: citizen.cookie },
    });
    expect([403, 404], denied.body).toContain(denied.statusCode);

    const admin = await t!.login('health-admin');
    const read = await t!.platform.app.inject({
      method: 'GET',
      url: `/api/v1/datastore/${resourceId}/records?limit=5&total=exact`,
      headers: { cookie: admin.cookie },
    });
    expect(read.statusCode, read.body).toBe(200);
    const page = read.json() as { total: number; records: { id_number: string; phone: string }[] };
    expect(page.total).toBe(CLINIC_ROWS);
    expect(page.records).toHaveLength(5);
    // Identity and mobile numbers are kept as text, check character X included.
    for (const r of page.records) {
      expect(typeof r.id_number).toBe('string');
      expect(isResidentId(r.id_number)).toBe(true);
      expect(typeof r.phone).toBe('string');
    }
  });

  it('confirms the clinic sample’s grading and shows the waiting one and the open incident on the dashboard', async () => {
    const { code } = await clinicResource();
    const grading = await t!.platform.security.grading.get(SYSTEM, code);
    expect(grading.grading?.state).toBe('confirmed');
    expect(grading.grading?.confirmed?.by).toBe('security');
    expect(grading.versions.map((v) => v.state)).toEqual(['draft', 'proposed', 'confirmed']);
    expect(grading.grading?.fields.every((f) => f.rationale.length > 0)).toBe(true);

    const officer = await t!.login('security');
    const response = await t!.platform.app.inject({
      method: 'GET',
      url: '/api/v1/security/dashboard',
      headers: { cookie: officer.cookie },
    });
    expect(response.statusCode, response.body).toBe(200);
    const rows = (
      response.json() as {
        organizations: {
          code: string;
          graded: number;
          awaitingConfirmation: number;
          openIncidents: number;
          nextDeadline: string | null;
          deadlinePassed: boolean;
          chiefDataOfficer: { name: string } | null;
          securityOfficer: { name: string } | null;
        }[];
      }
    ).organizations;
    const row = (org: string) => rows.find((r) => r.code === org)!;
    expect(row(PROPOSED_GRADING.organizationCode).awaitingConfirmation).toBe(1);
    expect(row(CLINIC_ORGANIZATION).graded).toBe(1);
    const district = row('haidian');
    expect(district.openIncidents).toBe(1);
    expect(district.deadlinePassed).toBe(false);
    expect(Date.parse(district.nextDeadline!)).toBeGreaterThan(Date.now());
    for (const spec of DEMO_OFFICERS) {
      expect(row(spec.organizationCode).chiefDataOfficer, spec.organizationCode).not.toBeNull();
      expect(row(spec.organizationCode).securityOfficer, spec.organizationCode).not.toBeNull();
    }

    const items = await t!.platform.security.incidents.list(SYSTEM, {});
    expect(items.map((i) => i.state).sort()).toEqual(['open', 'resolved']);
    expect(items.find((i) => i.state === 'resolved')?.reportedAt).not.toBeNull();
    expect(items.some((i) => i.overdue)).toBe(false);
  });

  it('keeps a cross-border transfer submitted with its impact assessment', async () => {
    const transfers = await t!.platform.security.transfers.list(SYSTEM, {});
    expect(transfers).toHaveLength(1);
    expect(transfers[0]!.state).toBe('submitted');
    expect(transfers[0]!.impactAssessments).toHaveLength(1);
    // Sensitive personal information of fewer than 10,000 people: a standard contract or certification.
    expect(transfers[0]!.assessment.route).toBe('standard-contract-or-certification');
  });

  it('runs the queued scan of the clinic sample and finds the identity numbers', async () => {
    const { resourceId } = await clinicResource();
    const { drainJobs } = await import('./support/tables.ts');
    await drainJobs(t!);
    const scans = await t!.platform.security.resources.scansOf(SYSTEM, resourceId);
    expect(scans).toHaveLength(1);
    expect(scans[0]!.state, JSON.stringify(scans[0])).toBe('done');
    const report = scans[0]!.report!;
    expect(report.rowsScanned).toBe(CLINIC_ROWS);
    const column = (name: string) => report.columns.find((c) => c.name === name);
    expect(column('id_number')?.holds).toBe('resident-id');
    expect(column('id_number')?.proposal.personalInfo).toBe('sensitive');
    expect(column('phone')?.holds).toBe('mobile');
    expect(column('diagnosis')?.holds).toBeUndefined();
  });
});
