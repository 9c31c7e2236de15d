/**
 * `search-stats dashboard`: the deployed dashboard's layout (from the synthesized template) with the
 * local run's data, as an HTML page.
 */
import { readExecutions, executionLogFile } from '../runner/execution-log';
import { synthesizeTemplate } from '../runner/definition';
import { withLocalWarehouse, type QueryTarget } from '../runner/query';
import { workdirPaths } from '../runner/workdir';
import { dashboardLayout, type DashboardLayout } from './dashboard-body';
import { pipelineResources, readDayVolumes, type LocalDashboardData } from './local-data';
import { writeDashboardPreview, type DashboardPreviewOptions } from './render-dashboard';

export {
  dashboardLayout,
  DashboardBodyError,
  type DashboardLayout,
  type DashboardWidget,
} from './dashboard-body';
export { renderDashboardPreview, writeDashboardPreview, GRID_UNIT, GRID_COLUMNS } from './render-dashboard';
export type { LocalDashboardData } from './local-data';

/** The synthesized dashboard and what the local run in `target` recorded. */
export async function loadDashboardPreview(
  target: QueryTarget,
): Promise<{ layout: DashboardLayout; data: LocalDashboardData }> {
  const template = synthesizeTemplate();
  const layout = dashboardLayout(template);
  const resources = pipelineResources(template);
  const volumes = await withLocalWarehouse(target, (warehouse) =>
    readDayVolumes((sql) => warehouse.query(sql)),
  );
  const executions = await readExecutions(executionLogFile(workdirPaths(target.workdir).root));
  return { layout, data: { volumes, executions, resources } };
}

/** Loads, renders and writes the preview; returns the absolute path written. */
export async function writeLocalDashboard(
  target: QueryTarget,
  outFile: string,
  options: DashboardPreviewOptions = {},
): Promise<string> {
  const { layout, data } = await loadDashboardPreview(target);
  return writeDashboardPreview(layout, data, outFile, options);
}
