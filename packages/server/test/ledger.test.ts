import {
  fromBase64,
  hashEntryJson,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '@datapolis/ledger';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import { copyRows } from '../src/kernel/db/index.ts';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import { startTestPlatform, type TestPlatform, usePostgres } from './support/test-platform.ts';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => t.close());

const db = () => t.platform.db.kysely;
let orgCounter = 0;
function orgInput() {
  orgCounter += 1;
  const serial = String(orgCounter).padStart(6, '0');
  return {
    code: `ledger-test-${serial}`,
    name: `测试机构 ${serial}`,
    kind: 'institution' as const,
    creditCode: withCreditCheck(`12110000MB0${serial}`),
  };
}

async function count(table: 'ledger_entries' | 'identity_organizations'): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db());
  return result.rows[0]!.n;
}

describe('a change and its log entry land together or not at all', () => {
  it('rolls back the entry when the change fails after it', async () => {
    const [entries, orgs] = [await count('ledger_entries'), await count('identity_organizations')];
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('identity_organizations')
            .values({ ...orgFields(), name_en: null })
            .execute();
          await t.platform.ledger.record(trx, systemActor('test'), {
            action: 'identity.organization.created',
            objects: [],
          });
          throw new Error('failure after the change');
        }),
    ).rejects.toThrow('failure after the change');
    expect(await count('ledger_entries')).toBe(entries);
    expect(await count('identity_organizations')).toBe(orgs);
  });

  it('rolls back the change when the log append fails', async () => {
    const token = await loginWithoutLog();
    const [entries, orgs] = [await count('ledger_entries'), await count('identity_organizations')];
    // A real database failure inside the append: the trigger refuses the next log row.
    await sql`CREATE FUNCTION refuse_append() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'log refused'; END $$`.execute(
      db(),
    );
    await sql`CREATE TRIGGER refuse_append BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_append()`.execute(
      db(),
    );
    try {
      const response = await t.platform.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: { authorization: `Bearer ${token}` },
        payload: orgInput(),
      });
      expect(response.statusCode).toBe(500);
      expect(response.json().code).toBe('INTERNAL');
    } finally {
      await sql`DROP TRIGGER refuse_append ON ledger_entries`.execute(db());
      await sql`DROP FUNCTION refuse_append()`.execute(db());
    }
    expect(await count('ledger_entries')).toBe(entries);
    expect(await count('identity_organizations')).toBe(orgs);
  });
});

function orgFields() {
  const input = orgInput();
  return { code: input.code, name: input.name, kind: input.kind, credit_code: input.creditCode };
}

// A token made before the trigger exists, so that signing in (which is logged too) is not what fails.
let operatorToken: string | undefined;
async function loginWithoutLog(): Promise<string> {
  operatorToken ??= await t.token('operator', ['organizations:manage']);
  return operatorToken;
}

describe('proofs over HTTP verify against the signed tree head', () => {
  beforeEach(async () => {
    await loginWithoutLog();
  });

  it('proves that every entry is included in the signed tree', async () => {
    const sth = (await t.platform.app.inject({ url: '/api/v1/ledger/sth' })).json();
    const key = (await t.platform.app.inject({ url: '/api/v1/ledger/public-key' })).json();
    expect(verifyTreeHead(sth, key.publicKeyPem)).toBe(true);
    for (let index = 0; index < sth.treeSize; index += 1) {
      const proof = (
        await t.platform.app.inject({
          url: `/api/v1/ledger/proof/inclusion?index=${index}&treeSize=${sth.treeSize}`,
        })
      ).json();
      const entry = await t.platform.ledger.getEntry(index);
      const leaf = hashEntryJson(entry.entry);
      expect(Buffer.from(leaf).toString('base64')).toBe(proof.leafHash);
      const ok = verifyInclusion(
        leaf,
        index,
        sth.treeSize,
        proof.auditPath.map(fromBase64),
        fromBase64(sth.rootHash),
      );
      expect(ok, `entry ${index}`).toBe(true);
    }
  });

  it('proves that a later tree extends an earlier one', async () => {
    const first = (await t.platform.app.inject({ url: '/api/v1/ledger/sth' })).json();
    await t.platform.identity.createOrganization(systemActor('test'), orgInput());
    await t.platform.identity.createOrganization(systemActor('test'), orgInput());
    const second = (await t.platform.app.inject({ url: '/api/v1/ledger/sth' })).json();
    expect(second.treeSize).toBe(first.treeSize + 2);
    const proof = (
      await t.platform.app.inject({
        url: `/api/v1/ledger/proof/consistency?first=${first.treeSize}&second=${second.treeSize}`,
      })
    ).json();
    expect(
      verifyConsistency(
        first.treeSize,
        second.treeSize,
        fromBase64(first.rootHash),
        fromBase64(second.rootHash),
        proof.proof.map(fromBase64),
      ),
    ).toBe(true);
  });

  it('answers impossible proof requests with 400 problems', async () => {
    const size = await t.platform.ledger.size();
    const beyond = await t.platform.app.inject({
      url: `/api/v1/ledger/proof/inclusion?index=0&treeSize=${size + 10}`,
    });
    expect(beyond.statusCode).toBe(400);
    const inverted = await t.platform.app.inject({
      url: '/api/v1/ledger/proof/inclusion?index=5&treeSize=3',
    });
    expect(inverted.statusCode).toBe(400);
    const notNumber = await t.platform.app.inject({
      url: '/api/v1/ledger/proof/inclusion?index=abc&treeSize=3',
    });
    expect(notNumber.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('concurrent appends', () => {
  it('keeps one contiguous tree', async () => {
    await Promise.all(
      Array.from({ length: 30 }, () =>
        t.platform.identity.createOrganization(systemActor('test'), orgInput()),
      ),
    );
    const report = await t.platform.ledger.verify();
    expect(report.problems).toEqual([]);
    const gaps = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger_entries e
      WHERE e.idx > 0 AND NOT EXISTS (SELECT 1 FROM ledger_entries p WHERE p.idx = e.idx - 1)`.execute(db());
    expect(gaps.rows[0]!.n).toBe(0);
  });
});

describe('ledger verify catches tampering done directly in SQL', () => {
  async function tamperAndVerify(tamper: string, restore: string) {
    await t.platform.ledger.signLatest();
    expect((await t.platform.ledger.verify()).ok).toBe(true);
    await sql.raw(tamper).execute(db());
    try {
      return await t.platform.ledger.verify();
    } finally {
      await sql.raw(restore).execute(db());
      expect((await t.platform.ledger.verify()).ok).toBe(true);
    }
  }

  it('an altered entry', async () => {
    const original = await t.platform.ledger.getEntry(3);
    const report = await tamperAndVerify(
      `UPDATE ledger_entries SET entry = replace(entry, '"v":1', '"v":2') WHERE idx = 3`,
      `UPDATE ledger_entries SET entry = '${original.entry.replaceAll("'", "''")}' WHERE idx = 3`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('altered');
  });

  it('an altered entry whose leaf hash was recomputed to match', async () => {
    const original = await t.platform.ledger.getEntry(4);
    const forged = original.entry.replace('"v":1', '"v":3');
    const forgedHash = Buffer.from(hashEntryJson(forged)).toString('hex');
    const originalHash = Buffer.from(fromBase64(original.leafHash)).toString('hex');
    const report = await tamperAndVerify(
      `UPDATE ledger_entries SET entry = '${forged.replaceAll("'", "''")}', leaf_hash = '\\x${forgedHash}' WHERE idx = 4`,
      `UPDATE ledger_entries SET entry = '${original.entry.replaceAll("'", "''")}', leaf_hash = '\\x${originalHash}' WHERE idx = 4`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['bad-root']));
  });

  it('a removed entry', async () => {
    const original = await t.platform.ledger.getEntry(2);
    const hash = Buffer.from(fromBase64(original.leafHash)).toString('hex');
    const report = await tamperAndVerify(
      'DELETE FROM ledger_entries WHERE idx = 2',
      `INSERT INTO ledger_entries (idx, entry, leaf_hash, recorded_at) VALUES (2, '${original.entry.replaceAll("'", "''")}', '\\x${hash}', '${original.recordedAt}')`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('missing');
  });

  it('two entries swapped', async () => {
    const report = await tamperAndVerify(
      'UPDATE ledger_entries e SET entry = o.entry, leaf_hash = o.leaf_hash FROM ledger_entries o WHERE (e.idx, o.idx) IN ((5, 6), (6, 5))',
      'UPDATE ledger_entries e SET entry = o.entry, leaf_hash = o.leaf_hash FROM ledger_entries o WHERE (e.idx, o.idx) IN ((5, 6), (6, 5))',
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['bad-root']));
  });

  it('an altered inner node (which would forge proofs)', async () => {
    const report = await tamperAndVerify(
      "UPDATE ledger_nodes SET hash = decode(repeat('00', 32), 'hex') WHERE level = 1 AND idx = 0",
      `UPDATE ledger_nodes SET hash = (SELECT sha256('\\x01'::bytea || a.leaf_hash || b.leaf_hash) FROM ledger_entries a, ledger_entries b WHERE a.idx = 0 AND b.idx = 1) WHERE level = 1 AND idx = 0`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('altered-node');
  });

  it('a forged tree head', async () => {
    const head = await t.platform.ledger.signLatest();
    const report = await tamperAndVerify(
      `UPDATE ledger_tree_heads SET root_hash = decode(repeat('11', 32), 'hex') WHERE tree_size = ${head.treeSize}`,
      `UPDATE ledger_tree_heads SET root_hash = decode('${Buffer.from(fromBase64(head.rootHash)).toString('hex')}', 'hex') WHERE tree_size = ${head.treeSize}`,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('bad-signature');
  });
});

describe('bulk appends', () => {
  it('writes a large batch with COPY on PostgreSQL (INSERT on PGlite) and keeps every byte', async () => {
    const awkward = 'tab\there, new\nline, back\\slash, quote " and 北京';
    const items = Array.from({ length: 1200 }, (_, i) => ({
      actor: systemActor('test'),
      input: { action: 'test.row.changed', objects: [{ type: 'row', id: `r${i}` }], details: { awkward, i } },
    }));
    const before = await t.platform.ledger.size();
    const copied = await db()
      .transaction()
      .execute(async (trx) => {
        await t.platform.ledger.recordMany(trx, items);
        return copyRows(trx, 'ledger_keys', ['key_id', 'public_key_pem'], []);
      });
    expect(copied).toBe(usePostgres);
    expect(await t.platform.ledger.size()).toBe(before + 1200);
    const last = JSON.parse((await t.platform.ledger.getEntry(before + 1199)).entry);
    expect(last.details).toEqual({ awkward, i: 1199 });
    expect((await t.platform.ledger.verify()).problems).toEqual([]);
  });
});
