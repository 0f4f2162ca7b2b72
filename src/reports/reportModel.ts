import type { ReportDimension } from '../generated/resolvers.js';
import type { SourceModel, UsageReportModel } from '../models.js';
import type { BucketFinality, ReportBucket } from './groupRows.js';
import type { ReportRow } from './reportRow.js';

/** What usageReport hands its fields: the report, plus what UsageReport.groups groups. */
export interface ReportModel extends UsageReportModel {
  /** The report's consumption as rows; their costs add up to `totals` exactly. */
  readonly rows: readonly ReportRow[];
  /** usageReport(groupBy:), duplicates refused. */
  readonly dimensions: readonly ReportDimension[];
  /** The buckets of the report's window and granularity, in order. */
  readonly buckets: readonly ReportBucket[];
  /** Sources in scope that failed (whole or for some account): groups they could have fed are incomplete. */
  readonly failed: readonly SourceModel[];
  /** Each source's finality rule at the request's clock: whether a series bucket is final (SeriesPoint.isFinal). */
  readonly isFinalBucket: BucketFinality['isFinal'];
}
