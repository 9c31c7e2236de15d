import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The business questions (contract §5), one SQL file each, in sql/questions. */
export const QUESTION_FILES = {
  periodSummary: '00_period_summary.sql',
  uniqueSearches: '01_unique_valid_searches.sql',
  uniqueSearchesPerDay: '01b_unique_valid_searches_per_day.sql',
  searchesPerDay: '02_valid_searches_per_day.sql',
  usersPerDay: '03_users_per_day.sql',
  mostEngagingSearches: '04_most_engaging_searches.sql',
  engagementByType: '04b_engagement_by_type.sql',
  topClickCount: '04c_top_click_count.sql',
  dailyTrends: '05_daily_trends.sql',
  weekdayPattern: '05b_weekday_pattern.sql',
  standoutDays: '05c_standout_days.sql',
} as const;

export type QuestionName = keyof typeof QUESTION_FILES;

/** sql/questions in the repository this module runs from (via tsx or jest, not bundled). */
export const QUESTIONS_DIR = path.resolve(__dirname, '..', '..', 'sql', 'questions');

/** The SQL text of one question, read from `dir` (the repository's sql/questions by default). */
export function questionSql(name: QuestionName, dir: string = QUESTIONS_DIR): string {
  return readFileSync(path.join(dir, QUESTION_FILES[name]), 'utf8');
}
