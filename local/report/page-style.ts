import { COLORS, FONT_STACK } from './theme';

/** The page's only stylesheet, inlined: the report opens with no network. */
export const PAGE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:${COLORS.page};color:${COLORS.ink};font-family:${FONT_STACK};
  font-size:15px;line-height:1.5;-webkit-font-smoothing:antialiased}
.page{max-width:1120px;margin:0 auto;padding:40px 28px 56px}
.masthead{margin-bottom:28px}
.eyebrow{font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:${COLORS.searches}}
h1{font-size:30px;line-height:1.2;margin:6px 0 6px;font-weight:700;letter-spacing:-.01em}
.subtitle{margin:0;color:${COLORS.muted}}
.kpis{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:14px;margin-bottom:22px}
.kpi{background:${COLORS.card};border:1px solid ${COLORS.grid};border-radius:12px;padding:16px 18px}
.kpi .label{font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:${COLORS.muted}}
.kpi .value{font-size:26px;font-weight:700;margin-top:4px;font-variant-numeric:tabular-nums;line-height:1.2}
.kpi .sub{font-size:13px;color:${COLORS.muted};margin-top:4px}
.kpi.alert .value{color:${COLORS.standout}}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:20px}
.card{background:${COLORS.card};border:1px solid ${COLORS.grid};border-radius:14px;padding:22px 24px 18px;min-width:0}
.card.wide{grid-column:1/-1}
.card h2{font-size:18px;margin:0 0 4px;font-weight:650}
.reading{margin:0 0 14px;color:#334155;max-width:78ch}
.chart svg{display:block;width:100%;height:auto}
.split{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:24px;align-items:start}
table.data{width:100%;border-collapse:collapse;font-size:13.5px;font-variant-numeric:tabular-nums}
table.data th{text-align:left;font-weight:600;color:${COLORS.muted};font-size:12px;text-transform:uppercase;
  letter-spacing:.04em;border-bottom:1px solid ${COLORS.grid};padding:6px 8px}
table.data td{border-bottom:1px solid #f1f5f9;padding:7px 8px;white-space:nowrap}
table.data .num{text-align:right}
table.data tr.hot td{color:${COLORS.standout};font-weight:600}
.swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:baseline}
.empty{color:${COLORS.muted};font-style:italic;margin:8px 0}
.notes{margin-top:28px;color:${COLORS.muted};font-size:13px}
.notes h3{font-size:13px;text-transform:uppercase;letter-spacing:.06em;margin:0 0 8px;color:${COLORS.ink}}
.notes dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
.notes dt{font-weight:600;color:#334155}
.notes dd{margin:0}
@media (max-width:900px){.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}.grid,.split{grid-template-columns:1fr}}
@media print{body{background:#fff}.card,.kpi{break-inside:avoid}}
`;
