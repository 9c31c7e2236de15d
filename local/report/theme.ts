/** One palette for the page and the charts, so a colour means the same thing everywhere. */
export const COLORS = {
  ink: '#0f172a',
  muted: '#64748b',
  faint: '#94a3b8',
  grid: '#e2e8f0',
  page: '#f6f7fb',
  card: '#ffffff',
  searches: '#6366f1',
  searchesDark: '#312e81',
  users: '#0d9488',
  usersDark: '#134e4a',
  rental: '#3b82f6',
  sale: '#f59e0b',
  none: '#cbd5e1',
  standout: '#e11d48',
  calm: '#a5b4fc',
} as const;

export const TYPE_COLORS: Record<string, string> = {
  rental: COLORS.rental,
  sale: COLORS.sale,
  none: COLORS.none,
};

export const FONT_STACK =
  "Inter, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', 'Liberation Sans', Arial, 'DejaVu Sans', sans-serif";
