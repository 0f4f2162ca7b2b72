import { BadUserInputError } from '../../errors.js';
import { formatDateTime } from '../../lib/dateTime.js';
import {
  isLocalMidnight,
  localMidnightAtOrAfter,
  localWallClock,
  startOfLocalDay,
  withLocalOffset,
} from '../../lib/localDays.js';
import { rebucket } from '../../lib/rebucket.js';
import type { Window } from '../../lib/timeWindow.js';
import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../models.js';
import { SourceAccountApi } from '../sourceAccount.js';
import type { BucketedWindow } from '../types.js';
import type { TheirstackLoaders } from './loaders.js';
import { isFinalBucket, METRICS, toPoints } from './mapping.js';
import { ownCostOrigin } from '../bucketPoint.js';

/**
 * Answers the graph for one TheirStack source within one request. The upstream reports whole
 * days of the requested zone, so the window's own zone is sent and its edges must be local
 * midnights; days are then summed exactly into the DAY, WEEK, MONTH or TOTAL buckets asked for.
 */
export class TheirstackApi extends SourceAccountApi {
  constructor(
    source: SourceModel,
    private readonly loaders: TheirstackLoaders,
    private readonly now: () => number,
  ) {
    super(source);
  }

  async accountConsumption(_account: AccountModel, bucketed: BucketedWindow): Promise<ConsumptionPointModel[]> {
    const { window, buckets } = bucketed;
    this.requireWholeDays(window);
    const spans = await this.loaders.days.load({
      startMs: window.startMs,
      endMs: window.endMs,
      timeZone: window.timeZone,
    });
    const result = rebucket(spans, buckets, METRICS);
    // Cannot happen for a day-aligned window and spans checked by toDailySpans; never paper over it.
    if (!result.ok)
      throw new Error(
        `TheirStack day ${formatDateTime(result.span.startMs)} ${result.reason} the buckets of source "${this.source.id}".`,
      );
    return toPoints(result.sums, buckets, { ...ownCostOrigin(this.source, this.now()), isFinalBucket });
  }

  /** A day is never split: a window edge inside a local day cannot be answered exactly. */
  private requireWholeDays(window: Window): void {
    const zone = window.timeZone;
    for (const [edge, ms] of [
      ['start', window.startMs],
      ['end', window.endMs],
    ] as const) {
      if (isLocalMidnight(ms, zone)) continue;
      const before = withLocalOffset(startOfLocalDay(ms, zone), zone);
      const after = withLocalOffset(localMidnightAtOrAfter(ms, zone), zone);
      throw new BadUserInputError(
        `Argument "window.${edge}" must be a midnight in "${zone}" because TheirStack source "${this.source.id}" reports whole days, got "${formatDateTime(ms)}" (${localWallClock(ms, zone).replace('T', ' ')} there); use "${before}" or "${after}".`,
        'window',
      );
    }
  }
}
