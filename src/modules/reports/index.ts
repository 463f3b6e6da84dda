export { ReportsModule } from './reports.module';
export { ReportsService } from './reports.service';
export type { SatisfactionReport, SnapshotView } from './reports.service';
export { conclusions } from './report-conclusions';
export type { ComplaintFigures, GroupBy } from './report-conclusions';
export { figures, nps, share } from './report-maths';
export type { ReportGroup, SatisfactionFigures, SatisfactionCounts } from './report-maths';
