import path from 'node:path';

/** Where local commands keep what they build once (synthesized templates, a fresh PGlite cluster). */
export const LOCAL_CACHE_DIR = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'search-stats');
