import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ModuleStatus, StatsOverview } from '../../api/types.ts';
import { usePageTitle } from '../../app/use-page-title.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { MostUsed } from '../usage/most-used.tsx';
import { ModuleCards } from './module-cards.tsx';
import { canonicalModuleId, INTERNAL_MODULES, KNOWN_MODULES } from './modules.ts';
import { StatCards } from './stat-cards.tsx';

/** Known modules first (in the regulation's order), then any the server adds that we do not know yet. */
function mergeModules(reported: ModuleStatus[] | undefined): ModuleStatus[] {
  const fromServer = (reported ?? [])
    .map((m) => ({ ...m, id: canonicalModuleId(m.id) }))
    .filter((m) => !INTERNAL_MODULES.includes(m.id));
  const byId = new Map(fromServer.map((m) => [m.id, m]));
  const merged: ModuleStatus[] = KNOWN_MODULES.map((id) => byId.get(id) ?? { id, available: false });
  for (const m of fromServer) if (!(KNOWN_MODULES as readonly string[]).includes(m.id)) merged.push(m);
  return merged;
}

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('home.title'));
  const { data: session } = useSession();
  const stats = useQuery({
    queryKey: ['stats', 'overview'],
    queryFn: ({ signal }) => api.get<StatsOverview>('/api/v1/stats/overview', undefined, signal),
  });
  const modules = mergeModules(stats.data?.modules);
  const user = session?.authenticated ? session.user : undefined;

  return (
    <>
      <section className="dp-hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.heading')}</h1>
        <p>{t('home.intro')}</p>
      </section>

      <section aria-labelledby="figures-title">
        <h2 id="figures-title" className="dp-section-title">
          {t('home.figuresTitle')}
        </h2>
        {stats.error ? <ProblemAlert error={stats.error} /> : <StatCards stats={stats.data} />}
      </section>

      <MostUsed />

      <section aria-labelledby="available-title">
        <h2 id="available-title" className="dp-section-title">
          {t('home.availableTitle')}
        </h2>
        <ModuleCards modules={modules.filter((m) => m.available)} user={user} />
      </section>

      <section aria-labelledby="coming-title">
        <h2 id="coming-title" className="dp-section-title">
          {t('home.comingTitle')}
        </h2>
        <p style={{ marginTop: 0, color: 'rgba(0,0,0,0.72)' }}>{t('home.comingIntro')}</p>
        <ModuleCards modules={modules.filter((m) => !m.available)} user={user} />
      </section>
    </>
  );
}
