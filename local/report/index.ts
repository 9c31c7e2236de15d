export { renderReport, writeReport, type ReportOptions } from './render-report';
export { queryVia, type Query, type SqlClient } from './query';
export { QUESTION_FILES, QUESTIONS_DIR, questionSql, type QuestionName } from './questions';
export { ReportDataError } from './values';
export { redshiftDataQuery, type RedshiftQueryOptions } from './redshift-data-query';
