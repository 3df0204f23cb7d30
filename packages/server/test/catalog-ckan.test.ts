import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { SHARED_DIR, sharedAvailable } from './support/shared.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
let operator: Caller;
let editor: Caller;
let admin: Caller;
let editorToken: string;
let citizenToken: string;
let busCode: string;
let busId: string;
let transport: { id: string; creditCode: string };

async function action(name: string, query = '', auth?: Record<string, string>) {
  return t.platform.app.inject({
    method: 'GET',
    url: `/api/3/action/${name}${query === '' ? '' : `?${query}`}`,
    headers: auth ?? {},
  });
}

async function post(name: string, body: unknown, auth: Record<string, string> = {}) {
  return t.platform.app.inject({
    method: 'POST',
    url: `/api/3/action/${name}`,
    headers: { 'content-type': 'application/json', ...auth },
    payload: JSON.stringify(body),
  });
}

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  operator = await t.login('operator');
  editor = await t.login('transport-editor');
  admin = await t.login('transport-admin');
  transport = await organizationByCode(t, 'bjjtw');
  ({ code: busCode, id: busId } = await publishEntry(t, editor, admin, operator, sampleEntry(transport)));
  await publishEntry(
    t,
    editor,
    admin,
    operator,
    sampleEntry(transport, {
      title: { zh: '北京市地铁线路', en: 'Beijing metro lines' },
      keywords: ['地铁', 'metro'],
      formats: ['JSON'],
      distributions: [
        {
          id: 'd1',
          kind: 'file',
          title: { zh: '线路 JSON' },
          format: 'JSON',
          url: 'https://data.example.org/metro.json',
        },
      ],
    }),
  );
  editorToken = await t.token('transport-editor', ['catalog:edit']);
  citizenToken = await t.token('citizen', ['catalog:objections:file']);
});
afterAll(async () => t.close());

describe('CKAN Action API: reading', () => {
  it('answers package_search in the CKAN envelope with counts, results and facets', async () => {
    const response = await action(
      'package_search',
      'q=*:*&rows=1&facet.field=["organization","tags","res_format"]',
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.success).toBe(true);
    expect(body.help).toMatch(/\/api\/3\/action\/help_show\?name=package_search$/);
    expect(Object.keys(body.result).sort()).toEqual(['count', 'facets', 'results', 'search_facets', 'sort']);
    expect(body.result.count).toBe(2);
    expect(body.result.results).toHaveLength(1);
    expect(body.result.facets.organization).toEqual({ bjjtw: 2 });
    expect(body.result.search_facets.res_format.items).toContainEqual({
      name: 'CSV',
      display_name: 'CSV',
      count: 1,
    });
  });

  it('understands field queries, fq, OR, negation, paging and sorting', async () => {
    const count = async (query: string) => (await action('package_search', query)).json().result.count;
    expect(await count('q=tags:metro')).toBe(1);
    expect(await count('q=organization:bjjtw')).toBe(2);
    expect(await count(`fq=${encodeURIComponent('res_format:JSON')}`)).toBe(1);
    expect(await count(`q=${encodeURIComponent('tags:metro || tags:bus')}`)).toBe(2);
    expect(await count(`q=${encodeURIComponent('-tags:metro')}`)).toBe(1);
    expect(await count(`q=${encodeURIComponent('地铁')}`)).toBe(1);
    expect(await count(`q=${encodeURIComponent('metadata_modified:[2020-01-01T00:00:00Z TO NOW]')}`)).toBe(2);
    const second = (await action('package_search', 'rows=1&start=1&sort=name%20asc')).json().result;
    expect(second.results).toHaveLength(1);
    expect(second.count).toBe(2);
  });

  it('shows packages in the CKAN shape, by name or id, with organisation, tags and resources', async () => {
    for (const ref of [busCode, busId]) {
      const body = (await action('package_show', `id=${ref}`)).json();
      expect(body.success).toBe(true);
      const pkg = body.result;
      expect(pkg.name).toBe(busCode);
      expect(pkg.title).toBe('北京市公交线路');
      expect(pkg.organization.name).toBe('bjjtw');
      expect(pkg.tags.map((tag: { name: string }) => tag.name)).toContain('公交');
      expect(pkg.resources[0]).toMatchObject({
        format: 'CSV',
        url: 'https://data.example.org/bus-routes.csv',
        package_id: busId,
      });
      expect(pkg.num_resources).toBe(2);
      expect(pkg.isopen).toBe(true);
      const resource = (await action('resource_show', `id=${pkg.resources[1].id}`)).json();
      expect(resource.result.url).toBe('https://api.example.org/bus-routes');
    }
  });

  it('answers the other read actions', async () => {
    expect((await action('package_list')).json().result).toHaveLength(2);
    expect((await action('organization_list')).json().result).toContain('bjjtw');
    const org = (await action('organization_show', 'id=bjjtw&include_datasets=true')).json().result;
    expect(org.package_count).toBe(2);
    expect(org.packages).toHaveLength(2);
    expect((await action('group_list')).json().result).toContain('transport');
    expect((await action('tag_list', 'query=me')).json().result).toEqual(['metro']);
    const status = (await action('status_show')).json().result;
    expect(status.ckan_version).toMatch(/^2\./);
  });

  it('uses CKAN error envelopes and status codes', async () => {
    const missing = await action('package_show', 'id=no-dataset');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ success: false, error: { __type: 'Not Found Error' } });
    expect(missing.headers['content-type']).toContain('application/json');
    const badQuery = await action('package_search', `q=${encodeURIComponent('nosuchfield:x')}`);
    expect(badQuery.statusCode).toBe(409);
    expect(badQuery.json().error.__type).toBe('Validation Error');
    for (const q of ['((((', '"open', 'title:', "'; DROP TABLE x; --", '{!func}x', 'a'.repeat(3000)]) {
      const response = await action('package_search', `q=${encodeURIComponent(q)}`);
      expect([200, 409], q.slice(0, 20)).toContain(response.statusCode);
      expect(response.json().success).toBe(response.statusCode === 200);
    }
    expect((await action('package_search', 'rows=-1')).statusCode).toBe(409);
  });

  it.skipIf(!sharedAvailable)('matches the shapes of recorded real CKAN responses', async () => {
    const fixtures = join(SHARED_DIR, 'fixtures', 'ckan-api');
    const real = JSON.parse(
      readFileSync(join(fixtures, 'dados.gov.br', 'package_search__q_all__rows2.response.json'), 'utf8'),
    );
    const ours = (await action('package_search', 'q=*:*&rows=2')).json();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys(ours.result).sort()).toEqual(Object.keys(real.result).sort());
    const realPackage = real.result.results[0];
    const ourPackage = ours.result.results[0];
    const missingKeys = Object.keys(realPackage).filter((k) => !(k in ourPackage) && k !== 'revision_id');
    expect(missingKeys).toEqual([]);
    const missingResourceKeys = Object.keys(realPackage.resources[0]).filter(
      (k) =>
        !(k in ourPackage.resources[0]) &&
        !['revision_id', 'mimetype_inner', 'cache_last_updated'].includes(k),
    );
    expect(missingResourceKeys).toEqual([]);
    const notFound = JSON.parse(
      readFileSync(join(fixtures, 'dados.gov.br', 'package_show__no-dataset__404.response.json'), 'utf8'),
    );
    const ourNotFound = (await action('package_show', 'id=no-dataset')).json();
    expect(Object.keys(ourNotFound).sort()).toEqual(Object.keys(notFound).sort());
    expect(ourNotFound.error.__type).toBe(notFound.error.__type);
  });
});

describe('CKAN Action API: writing with an API token', () => {
  it('creates, patches and deletes a package with the token sent as CKAN clients send it', async () => {
    const pkg = {
      name: 'ignored-name',
      title: '北京市出租车运营数据',
      notes: '全市巡游出租车的运营里程、载客次数与收入统计。',
      owner_org: 'bjjtw',
      license_id: 'CC-BY-4.0',
      maintainer: '交通委信息中心',
      maintainer_email: 'data@jtw.beijing.gov.cn',
      tags: [{ name: '出租车' }, { name: 'taxi' }],
      groups: [{ name: 'transport' }],
      resources: [{ name: '运营数据', url: 'https://data.example.org/taxi.csv', format: 'csv' }],
      extras: [
        { key: 'update_cycle', value: 'monthly' },
        { key: 'classification', value: 'departmental' },
      ],
      information_items: [
        { name: 'trips', type: 'integer', description: '载客次数', grade: 'general-1', personalInfo: 'none' },
      ],
    };
    const refused = await post('package_create', pkg);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
    expect((await post('package_create', pkg, { authorization: citizenToken })).statusCode).toBe(403);

    const created = await post('package_create', pkg, { authorization: editorToken });
    expect(created.statusCode).toBe(200);
    const result = created.json().result;
    expect(result.title).toBe('北京市出租车运营数据');
    expect(result.update_cycle).toBe('monthly');
    expect(result.name).toMatch(/^3-04-001-001-\d{6}$/);

    const invalid = await post('package_create', { ...pkg, notes: '' }, { 'x-ckan-api-key': editorToken });
    expect(invalid.statusCode).toBe(409);
    expect(invalid.json().error.__type).toBe('Validation Error');
    expect(invalid.json().error['summary.zh']).toBeDefined();

    const patched = await post(
      'package_patch',
      { id: result.name, title: '北京市巡游出租车运营数据' },
      { authorization: `Bearer ${editorToken}` },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json().result.title).toBe('北京市巡游出租车运营数据');
    expect(patched.json().result.tags.map((tag: { name: string }) => tag.name)).toEqual(['出租车', 'taxi']);

    const adminToken = await t.token('transport-admin', ['catalog:submit']);
    expect(
      (await post('package_delete', { id: result.name }, { authorization: editorToken })).statusCode,
    ).toBe(403);
    const deleted = await post('package_delete', { id: result.name }, { authorization: adminToken });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ success: true, result: null });
  });

  it('changes nothing on GET, so that another site cannot make a signed-in browser write', async () => {
    const admin = await t.login('transport-admin');
    const response = await t.platform.app.inject({
      method: 'GET',
      url: `/api/3/action/package_delete?id=${busCode}`,
      headers: headers(admin),
    });
    expect(response.statusCode).toBe(404);
    expect((await action('package_show', `id=${busCode}`)).statusCode).toBe(200);
    const help = (await action('help_show', 'name=package_delete')).json();
    expect(help.result).toContain('POST');
  });

  it('also answers on /api/action without the version', async () => {
    const response = await t.platform.app.inject({
      method: 'GET',
      url: '/api/action/package_list',
      headers: headers(undefined),
    });
    expect(response.json().result).toHaveLength(2);
  });
});
