export { ReportsModule } from './reports.module';
export { ReportsService } from './reports.service';
export type { SatisfactionReport, SnapshotView } from './reports.service';
export type { ComplaintFigures, GroupBy } from './report-conclusions';
export type { ReportGroup, SatisfactionFigures, SatisfactionCounts } from './report-maths';
