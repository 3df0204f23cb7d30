import { Readable } from 'node:stream';
import { systemActor } from '../kernel/auth/index.ts';
import type { CatalogService } from '../modules/catalog/index.ts';
import type { DatastoreService } from '../modules/datastore/index.ts';
import type { IdentityService } from '../modules/identity/index.ts';
import type { SecurityModule } from '../modules/security/index.ts';
import {
  CLINIC_GRADING,
  CLINIC_ORGANIZATION,
  clinicVisitsEntry,
  clinicVisitsTable,
  DEMO_OFFICERS,
  DEMO_TRANSFER,
  openIncident,
  PROPOSED_GRADING,
  resolvedIncident,
} from './demo-security.ts';

export interface DemoSecuritySeed {
  /** The clinic sample's catalog entry and its data table. */
  clinicEntryCode: string;
  clinicResourceId: string;
  scanId: string;
}

/**
 * Puts the security toolkit to work on the demo city, after the demo catalog: officers named, a
 * personal-data entry published with its table, one grading confirmed and one waiting, an open and a
 * resolved incident, a submitted cross-border transfer, and a scan queued for the job worker. Each step
 * goes through the services as the demo user whose role it is, so the log reads like a real history.
 */
export async function seedDemoSecurity(
  deps: {
    security: SecurityModule;
    catalog: CatalogService;
    datastore: DatastoreService;
    identity: IdentityService;
  },
  now = new Date(),
): Promise<DemoSecuritySeed> {
  const { security, catalog, datastore, identity } = deps;
  const system = systemActor('demo-seed');
  const orgs = (await identity.listOrganizations(undefined, 0, 1000)).items;
  const org = (code: string) => {
    const found = orgs.find((o) => o.code === code);
    if (found === undefined) throw new Error(`demo security: no organisation ${code}`);
    return found;
  };
  const users = new Map<string, { id: string; displayName: string; email: string | null }>();
  const user = async (username: string) => {
    let found = users.get(username);
    if (found === undefined) {
      const view = await identity.userByUsername(username);
      if (view === undefined) throw new Error(`demo security: no user ${username}`);
      found = { id: view.id, displayName: view.displayName, email: view.email ?? null };
      users.set(username, found);
    }
    return found;
  };
  const actorOf = async (username: string) => identity.resolveUserActor((await user(username)).id);

  // Officers: the chief data officer and the security officer of each institution with members.
  for (const spec of DEMO_OFFICERS) {
    const organizationId = org(spec.organizationCode).id;
    for (const [role, username] of [
      ['chief-data-officer', spec.chiefDataOfficer],
      ['security-officer', spec.securityOfficer],
    ] as const) {
      const officer = await user(username);
      await security.grading.appoint(system, organizationId, role, {
        userId: officer.id,
        name: officer.displayName,
        email: officer.email ?? `${username}@demo.datapolis.invalid`,
      });
    }
  }

  // The health commission's personal-data entry, published like the rest of its catalog.
  const health = org(CLINIC_ORGANIZATION);
  const entry = await catalog.create(system, clinicVisitsEntry(health), 'zh');
  const submission = await catalog.submit(system, health.id, [entry.id], '新增个人信息数据目录', 'zh');
  await catalog.review(system, submission.id, { approve: true, comment: '符合目录标准，不予开放' });
  const table = clinicVisitsTable();
  const resource = await datastore.createResource(system, {
    entryCode: entry.code,
    name: table.name,
    description: table.description,
  });
  const loaded = await datastore.loadNow(
    system,
    resource.id,
    Readable.from([table.content]),
    table.filename,
    {
      schema: table.schema,
      primaryKey: table.primaryKey,
    },
  );
  if (loaded.state !== 'live')
    throw new Error(
      `demo table ${table.filename} did not load: ${loaded.report?.errors[0]?.message ?? loaded.state}`,
    );

  // Its grading: drafted and proposed by the commission's admin, confirmed by the security officer.
  const healthAdmin = await actorOf('health-admin');
  await security.grading.saveDraft(healthAdmin, entry.code, CLINIC_GRADING);
  await security.grading.submit(healthAdmin, entry.code);
  await security.grading.review(await actorOf('security'), entry.code, {
    decision: 'confirm',
    comment: '分级依据充分；身份证号码和诊断按敏感个人信息管理，共享时须去标识化。',
  });

  // A grading waiting for confirmation at the transport commission.
  const transport = org(PROPOSED_GRADING.organizationCode);
  const codeOf = async (organizationId: string, title: string) => {
    const found = (await catalog.entriesOf(system, organizationId)).find((e) => e.title.zh === title);
    if (found === undefined) throw new Error(`demo security: no catalog entry "${title}"`);
    return found.code;
  };
  const taxiCode = await codeOf(transport.id, PROPOSED_GRADING.entryTitle);
  const grader = await actorOf(PROPOSED_GRADING.grader);
  await security.grading.saveDraft(grader, taxiCode, { fields: PROPOSED_GRADING.fields });
  await security.grading.submit(grader, taxiCode);

  // Incidents, recorded by the platform's security officer.
  const officer = await actorOf('security');
  const current = openIncident(now);
  await security.incidents.open(officer, {
    organizationId: org(current.organizationCode).id,
    ...current.input,
  });
  const past = resolvedIncident(now);
  const pastOrg = org(past.organizationCode).id;
  const resolved = await security.incidents.open(officer, {
    organizationId: pastOrg,
    entryCodes: [await codeOf(pastOrg, past.entryTitle)],
    ...past.input,
  });
  await security.incidents.report(officer, resolved.id, past.report);
  await security.incidents.move(officer, resolved.id, { state: 'contained', note: '账号已停用。' });
  await security.incidents.move(officer, resolved.id, { state: 'resolved', note: '整改完成。' });

  // A cross-border transfer request with its impact assessment, waiting for a decision.
  const requester = await actorOf(DEMO_TRANSFER.requester);
  const transfer = await security.transfers.create(requester, {
    organizationId: org(DEMO_TRANSFER.organizationCode).id,
    entryCodes: [entry.code],
    recipient: DEMO_TRANSFER.recipient,
    country: DEMO_TRANSFER.country,
    purpose: DEMO_TRANSFER.purpose,
    peopleCount: DEMO_TRANSFER.peopleCount,
    sensitivePeopleCount: DEMO_TRANSFER.sensitivePeopleCount,
  });
  await security.transfers.addAssessment(requester, transfer.id, { text: DEMO_TRANSFER.assessment });
  await security.transfers.submit(requester, transfer.id);

  // A scan of the new table: a job, run once the worker starts.
  const scan = await security.resources.requestScan(officer, { resourceId: resource.id });
  return { clinicEntryCode: entry.code, clinicResourceId: resource.id, scanId: scan.id };
}
