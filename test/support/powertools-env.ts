// Imported before a handler module: its module-scope Metrics reads these when created, as on Lambda
// (the CDK function construct sets them, lib/pipeline-function.ts).
process.env['POWERTOOLS_SERVICE_NAME'] = 'SearchStats';
process.env['POWERTOOLS_METRICS_NAMESPACE'] = 'SearchStats';
export {};
