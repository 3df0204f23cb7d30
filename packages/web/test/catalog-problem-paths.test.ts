import { describe, expect, it } from 'vitest';
import { isEditorField, placeErrors } from '../src/features/catalog/editor-fields.ts';
import { fieldPathOf, groupByEntry, pathSegments } from '../src/features/catalog/problem-paths.ts';

describe('server problem paths to editor fields', () => {
  it('maps JSON pointers onto form field names', () => {
    expect(fieldPathOf('/title/zh')).toEqual(['title', 'zh']);
    expect(fieldPathOf('/informationItems/2/name')).toEqual(['informationItems', 2, 'name']);
    expect(fieldPathOf('/contactPoint/email')).toEqual(['contactPoint', 'email']);
    expect(fieldPathOf('/distributions/0/url')).toEqual(['distributions', 0, 'url']);
    expect(fieldPathOf('/openType')).toEqual(['openType']);
  });

  it('maps the dotted paths of schema errors the same way', () => {
    expect(fieldPathOf('title.zh')).toEqual(['title', 'zh']);
    expect(fieldPathOf('informationItems.0.name')).toEqual(['informationItems', 0, 'name']);
    expect(fieldPathOf('body/organizationId')).toEqual(['organizationId']);
  });

  it('puts messages about parts of a control on the control', () => {
    expect(fieldPathOf('/keywords/3')).toEqual(['keywords']);
    expect(fieldPathOf('/formats/0')).toEqual(['formats']);
    expect(fieldPathOf('/title')).toEqual(['title', 'zh']);
    expect(fieldPathOf('/contactPoint')).toEqual(['contactPoint', 'name']);
    expect(fieldPathOf('/temporalCoverage')).toEqual(['temporalCoverage', 'start']);
    expect(fieldPathOf('/informationItems/1/title')).toEqual(['informationItems', 1, 'title', 'zh']);
  });

  it('decodes escaped pointer segments', () => {
    expect(pathSegments('/extras/a~1b~0c')).toEqual(['extras', 'a/b~c']);
  });

  it('knows which paths the editor has a field for, rows included', () => {
    expect(isEditorField(['summary', 'zh'])).toBe(true);
    expect(isEditorField(['informationItems', 1, 'grade'], { informationItems: 2 })).toBe(true);
    expect(isEditorField(['informationItems', 2, 'grade'], { informationItems: 2 })).toBe(false);
    expect(isEditorField(['extras', 'budgetCode'])).toBe(false);
    expect(isEditorField(['extras', 'budgetCode'], {}, ['budgetCode'])).toBe(true);
    expect(isEditorField(['informationItems'])).toBe(false);
  });

  it('places each message on a field, a list, or the whole entry, once per field', () => {
    const placed = placeErrors(
      [
        { path: '/summary/zh', message: '资源摘要至少需要 10 个字符。' },
        { path: '/summary/zh', message: 'second message for the same field' },
        { path: '/informationItems', message: '信息项至少需要 1 项。' },
        { path: '/extras/budgetCode', message: '请填写预算编码。' },
        { path: '/distributions/0/url', message: 'bad' },
      ],
      { informationItems: 0, distributions: 1 },
    );
    expect(placed.map((p) => p.place)).toEqual([
      { kind: 'field', path: ['summary', 'zh'] },
      { kind: 'list', list: 'informationItems' },
      { kind: 'form' },
      { kind: 'field', path: ['distributions', 0, 'url'] },
    ]);
    expect(placed[0]?.message).toBe('资源摘要至少需要 10 个字符。');
  });

  it("splits a refused submission's problems by entry", () => {
    expect(
      groupByEntry([
        { path: '/2-04-001-001-000012/title/zh', message: 'a' },
        { path: '/2-04-001-001-000013/keywords', message: 'b' },
        { path: '/2-04-001-001-000012/informationItems/0/name', message: 'c' },
      ]),
    ).toEqual([
      {
        code: '2-04-001-001-000012',
        problems: [
          { path: '/title/zh', message: 'a' },
          { path: '/informationItems/0/name', message: 'c' },
        ],
      },
      { code: '2-04-001-001-000013', problems: [{ path: '/keywords', message: 'b' }] },
    ]);
  });
});
