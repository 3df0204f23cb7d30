import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { RiskBar } from './risk-display.ts';
import { formatShare } from './scan-rows.ts';

const WIDTH = 560;
const ROW = 30;
const LABEL = 200;
const PLOT = WIDTH - LABEL - 70;

/**
 * Each risk as a horizontal bar on a 0-100 % scale with its ceiling as a dark tick: bars past their
 * ceiling are drawn hatched red, the others green. Plain SVG named by a title and described by the same
 * sentences a screen reader gets from the list beside it.
 */
export function RiskChart({ bars, label }: { bars: readonly RiskBar[]; label: (bar: RiskBar) => string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  if (bars.length === 0) return null;
  const height = bars.length * ROW + 24;
  const describe = (bar: RiskBar) =>
    bar.limit === undefined
      ? t('securityResources.chart.barNoLimit', {
          name: label(bar),
          value: formatShare(bar.value, i18n.language),
        })
      : t(bar.pass === false ? 'securityResources.chart.barAbove' : 'securityResources.chart.barWithin', {
          name: label(bar),
          value: formatShare(bar.value, i18n.language),
          limit: formatShare(bar.limit, i18n.language),
        });
  return (
    <figure className="dp-risk-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{t('securityResources.chart.title')}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-caption`}
        aria-describedby={`${id}-desc`}
        style={{ width: '100%', maxWidth: WIDTH, height: 'auto' }}
      >
        <title>{t('securityResources.chart.title')}</title>
        <defs>
          <pattern
            id={`${id}-hatch`}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill="#c62828" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#fff" strokeWidth="2" />
          </pattern>
        </defs>
        {bars.map((bar, i) => {
          const y = i * ROW + 4;
          const fill = bar.pass === false ? `url(#${id}-hatch)` : bar.pass ? '#2e7d32' : '#5b6b7f';
          return (
            <g key={`${bar.key}-${bar.attribute ?? ''}`}>
              <text x={LABEL - 8} y={y + 15} textAnchor="end" fontSize="12" fill="#1f2933">
                {label(bar)}
              </text>
              <rect x={LABEL} y={y + 3} width={PLOT} height={16} fill="#eef1f5" />
              <rect x={LABEL} y={y + 3} width={Math.max(1, bar.value * PLOT)} height={16} fill={fill} />
              {bar.limit === undefined ? null : (
                <line
                  x1={LABEL + bar.limit * PLOT}
                  x2={LABEL + bar.limit * PLOT}
                  y1={y}
                  y2={y + 22}
                  stroke="#111"
                  strokeWidth="2"
                />
              )}
              <text x={LABEL + PLOT + 6} y={y + 15} fontSize="12" fill="#1f2933">
                {formatShare(bar.value, i18n.language)}
              </text>
            </g>
          );
        })}
        <text x={LABEL} y={height - 4} fontSize="11" fill="#4a5562">
          0 %
        </text>
        <text x={LABEL + PLOT} y={height - 4} fontSize="11" fill="#4a5562" textAnchor="end">
          100 %
        </text>
      </svg>
      <ul id={`${id}-desc`} className="dp-visually-hidden">
        {bars.map((bar) => (
          <li key={`${bar.key}-${bar.attribute ?? ''}`}>{describe(bar)}</li>
        ))}
      </ul>
      <p className="dp-meta-line">{t('securityResources.chart.legend')}</p>
    </figure>
  );
}
