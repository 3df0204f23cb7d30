import type { ThemeConfig } from 'antd';

// antd's default blue (#1677ff), red and grey description text fall under 4.5:1 against white;
// these darker tones keep every text colour at WCAG AA.
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0050b3',
    colorLink: '#0050b3',
    colorError: '#cf1322',
    colorSuccess: '#237804',
    colorWarning: '#ad6800',
    // Backgrounds derived from the darker tones above come out murky; keep antd's usual light tints.
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    borderRadius: 4,
    fontSize: 15,
    // Latin fonts first so Latin text and punctuation keep Latin glyphs; Chinese falls through to CJK fonts.
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif",
  },
  components: {
    Table: { headerBg: '#f0f5ff' },
  },
};
