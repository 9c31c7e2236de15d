// Imported first by tests that load a handler: its module-scope Logger reads the level when created.
process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
export {};
