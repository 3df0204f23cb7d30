import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, type ConfigProviderProps } from 'antd';
import enUSModule from 'antd/locale/en_US.js';
import frFRModule from 'antd/locale/fr_FR.js';
import zhCNModule from 'antd/locale/zh_CN.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { Language } from '../i18n/languages.ts';
import { createRouter } from './router.tsx';
import { theme } from './theme.ts';

type AntdLocale = NonNullable<ConfigProviderProps['locale']>;

// antd ships its locales as CommonJS; depending on the interop the default import is the locale or a
// wrapper holding it in `default`.
function asLocale(value: unknown): AntdLocale {
  if (typeof value === 'object' && value !== null && 'default' in value) return value.default as AntdLocale;
  return value as AntdLocale;
}

const zhCN = asLocale(zhCNModule);
const ANTD_LOCALES: Record<Language, AntdLocale> = {
  'zh-CN': zhCN,
  en: asLocale(enUSModule),
  fr: asLocale(frFRModule),
};

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change on retry; network hiccups and 5xx get one more try.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App() {
  const { i18n } = useTranslation();
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  const locale = ANTD_LOCALES[i18n.language as Language] ?? zhCN;
  // Honour the system setting against motion (WCAG 2.3.3); antd animates modals and menus otherwise.
  const [motion] = useState(() => !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
  return (
    <QueryClientProvider client={queryClient}>
      {/* No space inserted between two Chinese characters ("登 录"): speech-input users say "登录". */}
      <ConfigProvider
        locale={locale}
        theme={{ ...theme, token: { ...theme.token, motion } }}
        button={{ autoInsertSpace: false }}
        // Mark the optional fields in words rather than the required ones with "*", which screen
        // readers read out as part of every label.
        form={{ requiredMark: 'optional' }}
      >
        <AntApp className="dp-app">
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
