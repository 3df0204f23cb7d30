import { api } from '../../api/client.ts';
import type { ApiToken, CreatedToken } from '../../api/types.ts';

export const TOKENS_KEY = ['me', 'tokens'] as const;

export interface NewToken {
  name: string;
  scopes: string[];
  expiresInDays: number;
}

export const listTokens = (signal?: AbortSignal) =>
  api.get<{ items: ApiToken[] }>('/api/v1/me/tokens', undefined, signal).then((r) => r.items);

export const createToken = (body: NewToken) => api.post<CreatedToken>('/api/v1/me/tokens', body);

export const revokeToken = (id: string) => api.delete(`/api/v1/me/tokens/${encodeURIComponent(id)}`);
