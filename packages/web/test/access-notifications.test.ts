import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import i18next, { type TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/api/types.ts';
import { createAccessApi } from '../src/features/access/access-api.ts';
import { accessNavItems } from '../src/features/access/access-navigation.ts';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_POLL_MS,
  notificationLink,
  notificationMessage,
  unreadBadge,
} from '../src/features/access/notification-text.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const translators: Record<string, TFunction> = {};

beforeAll(async () => {
  for (const [lng, translation] of Object.entries({ 'zh-CN': zhCN, en, fr })) {
    const instance = i18next.createInstance();
    await instance.init({
      resources: { [lng]: { translation } },
      lng,
      interpolation: { escapeValue: false },
    });
    translators[lng] = instance.t;
  }
});

const params = { applicationId: 'app-1', entryCode: '2-04-001-001-000001', entryTitle: '北京市公交线路' };

describe('notification sentences', () => {
  it('reads every kind as a sentence in the three languages, with the entry and its code', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const { key, values } = notificationMessage({ kind, params });
      expect(key).toBe(`notifications.kinds.${kind}`);
      for (const [lng, t] of Object.entries(translators)) {
        const text = t(key, values);
        expect(text, `${lng} ${kind}`).not.toBe(key);
        expect(text, `${lng} ${kind}`).toContain('<title>北京市公交线路</title>');
        expect(text, `${lng} ${kind}`).toContain('2-04-001-001-000001');
      }
    }
  });

  it('still says something for a kind it does not know', () => {
    const { key } = notificationMessage({ kind: 'exchange.listed', params: { entryCode: 'X' } });
    expect(key).toBe('notifications.kinds.other');
    expect(translators.en?.(key, { entryTitle: 'X', entryCode: 'X' })).toBe(
      'Notification about <title>X</title> (X).',
    );
  });

  it('leads to the application, the grants, or the entry', () => {
    expect(notificationLink({ link: '/access/applications/app-9', params })).toBe(
      '/access/applications/app-9',
    );
    expect(notificationLink({ link: null, params })).toBe('/access/applications/app-1');
    expect(notificationLink({ link: 'https://elsewhere.example/x', params: { grantId: 'g-1' } })).toBe(
      '/access/grants',
    );
    expect(notificationLink({ link: '/api/v1/access/grants/g-1', params: { entryCode: 'A/B' } })).toBe(
      '/catalog/entries/A%2FB',
    );
    expect(notificationLink({ link: null, params: {} })).toBeUndefined();
  });
});

describe('the unread count on the bell', () => {
  it('shows the number, capped at 99+, and nothing when all is read', () => {
    expect(unreadBadge(0)).toBe('');
    expect(unreadBadge(3)).toBe('3');
    expect(unreadBadge(99)).toBe('99');
    expect(unreadBadge(250)).toBe('99+');
    expect(NOTIFICATION_POLL_MS).toBe(60_000);
  });

  it('names the count in words for screen readers, in each language', () => {
    expect(translators.en?.('notifications.bellUnread', { count: 1 })).toBe('Notifications, 1 unread');
    expect(translators.en?.('notifications.unreadCount', { count: 3 })).toBe('3 unread notifications.');
    expect(translators.fr?.('notifications.bellUnread', { count: 2 })).toBe('Notifications, 2 non lues');
    expect(translators['zh-CN']?.('notifications.bellUnread', { count: 2 })).toBe('消息通知，2 条未读');
  });
});

// A real HTTP server standing in for GET /notifications and POST /notifications/:id/read.
let server: Server;
let base = '';
const unread = new Set(['n-1', 'n-2', 'n-3']);
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const read = /^\/api\/v1\/notifications\/([^/]+)\/read$/.exec(url.pathname);
    if (read && req.method === 'POST') {
      unread.delete(decodeURIComponent(read[1] ?? ''));
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/api/v1/notifications') {
      const limit = Number(url.searchParams.get('limit') ?? '50');
      const items = [...unread].slice(0, limit).map((id, i) => ({
        id,
        kind: 'application.approved',
        params,
        link: null,
        createdAt: `2026-03-0${i + 1}T08:00:00Z`,
        readAt: null,
      }));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ items, unread: unread.size }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('notifications against the API', () => {
  const api = () => createAccessApi({ language: 'en', csrfToken: 'c', base });

  it('reads the unread count, and it drops once a notification is marked read', async () => {
    const before = await api().notifications({ unread: true, limit: 5 });
    expect(seen.at(-1)).toBe('GET /api/v1/notifications?unread=true&limit=5');
    expect(before.unread).toBe(3);
    expect(unreadBadge(before.unread)).toBe('3');
    await api().markRead('n-2');
    const after = await api().notifications({ unread: true, limit: 5 });
    expect(after.unread).toBe(2);
    expect(after.items.map((n) => n.id)).toEqual(['n-1', 'n-3']);
  });
});

describe('navigation to the access and opening pages', () => {
  const person: SessionUser = {
    id: 'u',
    username: 'u',
    displayName: 'U',
    email: null,
    platformRoles: [],
    memberships: [],
    permissions: [],
  };

  it('shows each user only the pages they may use', () => {
    const links = (user: SessionUser | undefined, staffed: number) =>
      accessNavItems(user, staffed).map((i) => i.to);
    expect(links(undefined, 0)).toEqual(['/opening/2026']);
    expect(links(person, 0)).toEqual(['/opening/2026', '/access/applications', '/access/grants']);
    expect(links(person, 1)).toEqual([
      '/opening/2026',
      '/access/applications',
      '/access/grants',
      '/access/review',
      '/opening/plans',
    ]);
    expect(links({ ...person, platformRoles: ['operator'] }, 0)).toEqual([
      '/opening/2026',
      '/access/applications',
      '/access/grants',
      '/access/centre',
      '/opening/plans',
    ]);
    expect(links({ ...person, platformRoles: ['auditor'] }, 0)).toContain('/opening/plans');
    for (const item of accessNavItems({ ...person, platformRoles: ['operator'] }, 1))
      for (const t of Object.values(translators)) expect(t(item.key)).not.toBe(item.key);
  });
});
