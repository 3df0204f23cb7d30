import { useQuery } from '@tanstack/react-query';
import { Spin } from 'antd';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyText } from '../../components/empty-text.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useDatastoreApi } from './datastore-api.ts';
import type { DatastoreResource, GeoConfig } from './datastore-types.ts';
import { EChart } from './echart.tsx';
import { cellText, formatCount } from './format-datastore.ts';
import { geoColumns, mapOption, recordShapes, shapeBounds, shapeCounts } from './geo-features.ts';

/** Rows drawn at once; a map of more would be unreadable and slow to draw as vector graphics. */
const MAP_LIMIT = 1000;

/** Where the rows are: their points, lines and areas on longitude/latitude axes, without any map tiles. */
export function MapView({ resource, geo }: { resource: DatastoreResource; geo: GeoConfig }) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const columns = geoColumns(geo);
  // The first text column names each shape in its tooltip.
  const labelField = resource.fields.find((f) => f.type === 'string' && !columns.includes(f.name))?.name;
  const fieldList = [...columns, ...(labelField ? [labelField] : [])].join(',');
  const records = useQuery({
    queryKey: ['datastore', 'map', resource.id, resource.liveVersion, fieldList],
    queryFn: ({ signal }) =>
      api.records(
        resource.id,
        { fields: fieldList, limit: MAP_LIMIT, offset: 0, total: 'estimated' },
        signal,
      ),
  });
  const list = records.data?.records;
  const { shapes, skipped } = useMemo(
    () => (list ? recordShapes(list, geo, resource.fields) : { shapes: [], skipped: 0 }),
    [list, geo, resource.fields],
  );
  const yesNo = useMemo(() => ({ yes: t('datastore.values.yes'), no: t('datastore.values.no') }), [t]);
  const rowLabel = useCallback(
    (row: number) => {
      const name = labelField && list ? cellText(list[row]?.[labelField], yesNo, 80) : '';
      return name
        ? `${t('datastore.map.row', { n: row + 1 })}: ${name}`
        : t('datastore.map.row', { n: row + 1 });
    },
    [labelField, list, t, yesNo],
  );
  const option = useMemo(
    () =>
      mapOption(
        shapes,
        {
          lon: t('datastore.map.lon'),
          lat: t('datastore.map.lat'),
          points: t('datastore.map.points'),
          lines: t('datastore.map.lines'),
          areas: t('datastore.map.areas'),
          rowLabel,
        },
        !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
      ),
    [shapes, rowLabel, t],
  );
  const counts = shapeCounts(shapes);
  const bounds = shapeBounds(shapes);
  const coordinate = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 4 });
  const summary = t('datastore.map.summary', {
    points: formatCount(counts.points, i18n.language),
    lines: formatCount(counts.lines, i18n.language),
    areas: formatCount(counts.areas, i18n.language),
  });
  const extent = bounds
    ? t('datastore.map.extent', {
        west: coordinate.format(bounds.minLon),
        east: coordinate.format(bounds.maxLon),
        south: coordinate.format(bounds.minLat),
        north: coordinate.format(bounds.maxLat),
      })
    : '';

  return (
    <section aria-labelledby="data-map-title">
      <h2 id="data-map-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('datastore.map.title')}
      </h2>
      {records.error ? <ProblemAlert error={records.error} /> : null}
      {records.isPending ? <Spin description={t('common.loading')} /> : null}
      {records.data && shapes.length === 0 ? <EmptyText>{t('datastore.map.empty')}</EmptyText> : null}
      {shapes.length > 0 ? (
        <>
          <p style={{ marginTop: 0 }} data-testid="map-summary">
            {summary} {extent}
          </p>
          <EChart
            label={`${t('datastore.map.label')} ${summary} ${extent}`}
            option={option}
            height={480}
            testId="data-map"
          />
          <p className="dp-meta-line">{t('datastore.map.zoomHelp')}</p>
        </>
      ) : null}
      {records.data && (records.data.nextCursor !== null || (records.data.total ?? 0) > MAP_LIMIT) ? (
        <p className="dp-meta-line">{t('datastore.map.limited', { count: MAP_LIMIT })}</p>
      ) : null}
      {skipped > 0 ? <p className="dp-meta-line">{t('datastore.map.skipped', { count: skipped })}</p> : null}
    </section>
  );
}
