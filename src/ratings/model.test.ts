import { describe, expect, it } from 'vitest';
import { roundTo } from '../core/stats.js';
import {
  chinaDayStart,
  chinaMinuteOfDay,
  commentFingerprint,
  configProblems,
  channelOfDevice,
  countsFrom,
  DEFAULT_TAGS,
  overrideProblems,
  parseOverrides,
  settingsForUnit,
  type RatingsSettings,
  DEFAULT_OPENING_HOURS,
  DEFAULT_RATINGS_CONFIG,
  planBuckets,
  staffDisplay,
  ZERO_ACTIVITY,
  fraudFlags,
  isBadLevel,
  kioskLookback,
  kioskRefusal,
  externalNoCandidates,
  hallRefusal,
  lookupBlockedUntil,
  phoneDigitsMatch,
  recentLookupFailures,
  type HallCandidate,
  ratingProblems,
  ratingStatistics,
  zeroLevels,
  type FraudContext,
  type RatingCounts,
  monthPartitionName,
  monthStartOf,
  monthStartsBetween,
  nextMonthStart,
  partitionMonthsAround,
} from './model.js';

describe('levels and content', () => {
  it('treats ★1–2 as bad reviews', () => {
    expect([5, 4, 3, 2, 1].map(isBadLevel)).toEqual([false, false, false, true, true]);
  });

  it('accepts the tags of the chosen level and refuses tags of another level', () => {
    const ok = {
      level: 1,
      tags: ['推诿扯皮（推）', '多次跑动'],
      dimensions: { attitude: 1 },
      comment: '跑了三趟',
    };
    expect(ratingProblems(ok, 'offline')).toEqual([]);
    const wrong = { ...ok, level: 5 };
    expect(ratingProblems(wrong, 'offline').map((p) => p.code)).toEqual(['tag_not_for_level']);
    // Online service has its own options.
    expect(ratingProblems(ok, 'online').map((p) => p.code)).toEqual(['tag_not_for_level']);
  });

  it('names every other problem by field', () => {
    const bad = {
      level: 3,
      tags: ['环境一般', '环境一般'],
      dimensions: { attitude: 6, mood: 3 },
      comment: 'x'.repeat(501),
    };
    expect(ratingProblems(bad, 'offline').map((p) => `${p.field}:${p.code}`)).toEqual([
      'tags:duplicate_tag',
      'dimensions.attitude:invalid_level',
      'dimensions.mood:unknown_dimension',
      'comment:comment_too_long',
    ]);
    expect(ratingProblems({ level: 0, tags: [], dimensions: {}, comment: '' }, 'offline')[0]?.code).toBe(
      'invalid_level',
    );
  });
});

describe('statistics from rollup counts', () => {
  // A window's month, hand-counted: 120 transactions; 100 ratings of which 10 are defaults (★3);
  // levels ★5 50, ★4 20, ★3 20 (10 default), ★2 6, ★1 4; 10 bad cases, 9 replied, 8 called back and
  // rectified, 6 judged, 5 satisfied.
  const counts: RatingCounts = {
    byLevel: { 5: 50, 4: 20, 3: 20, 2: 6, 1: 4 },
    defaultByLevel: { ...zeroLevels(), 3: 10 },
    transactions: 120,
    activelyRated: 90,
    badCases: 10,
    replied: 9,
    calledBackAndRectified: 8,
    judged: 6,
    judgedSatisfied: 5,
  };
  const stats = ratingStatistics(counts);

  it('computes each published rate as written in docs', () => {
    expect(stats.total).toBe(100);
    expect(stats.active).toBe(90);
    expect(stats.defaults).toBe(10);
    expect(stats.average).toBe((5 * 50 + 4 * 20 + 3 * 20 + 2 * 6 + 4) / 100); // 4.06
    expect(stats.goodRate.value).toBe(0.9); // ★3–5: 90 / 100
    expect(stats.badRate.value).toBe(0.1); // ★1–2: 10 / 100
    expect(stats.unratedRate.value).toBe(30 / 120); // 120 − 90 actively rated
    expect(stats.activeGoodRate.value).toBe(80 / 90); // ★3–5 minus the 10 defaults
    expect(stats.replyRate.value).toBe(0.9);
    expect(stats.rectificationRate.value).toBe(0.8);
    expect(roundTo(stats.rectificationSatisfactionRate.value ?? 0, 4)).toBe(0.8333);
  });

  it('lets a jurisdiction count only ★4–5 as good', () => {
    expect(ratingStatistics(counts, 4).goodRate.value).toBe(0.7);
  });

  it('says “no data” rather than 0% when nothing was counted', () => {
    const empty = ratingStatistics({
      byLevel: zeroLevels(),
      defaultByLevel: zeroLevels(),
      transactions: 0,
      activelyRated: 0,
      badCases: 0,
      replied: 0,
      calledBackAndRectified: 0,
      judged: 0,
      judgedSatisfied: 0,
    });
    expect(empty.average).toBeNull();
    expect(empty.goodRate.value).toBeNull();
    expect(empty.unratedRate.value).toBeNull();
  });
});

describe('fraud checks', () => {
  const quiet: FraudContext = {
    recentFromDevice: 0,
    recentFromAddress: 0,
    sameCommentToday: 0,
    openingHours: null,
    workingDay: true,
    minuteOfDay: 10 * 60,
  };

  it('flags bursts from one device or one address past the limit', () => {
    expect(fraudFlags('', { ...quiet, recentFromDevice: 4 })).toEqual([]);
    expect(fraudFlags('', { ...quiet, recentFromDevice: 5 })).toEqual(['burst_device']);
    expect(fraudFlags('', { ...quiet, recentFromAddress: 7 })).toEqual(['burst_address']);
  });

  it('flags the third identical comment of a day, ignoring punctuation and width', () => {
    expect(commentFingerprint('服务 很好！！')).toBe(commentFingerprint('服务很好!'));
    expect(fraudFlags('服务很好，点赞', { ...quiet, sameCommentToday: 1 })).toEqual([]);
    expect(fraudFlags('服务很好，点赞', { ...quiet, sameCommentToday: 2 })).toEqual(['repeated_comment']);
    expect(fraudFlags('好', { ...quiet, sameCommentToday: 9 })).toEqual([]); // too short to mean anything
  });

  it('flags ratings at the window outside opening hours, with 30 minutes of grace', () => {
    const atWindow = { ...quiet, openingHours: DEFAULT_OPENING_HOURS };
    expect(fraudFlags('', { ...atWindow, minuteOfDay: 8 * 60 + 5 })).toEqual([]); // 8:05, in grace
    expect(fraudFlags('', { ...atWindow, minuteOfDay: 12 * 60 + 45 })).toEqual(['outside_hours']); // lunch
    expect(fraudFlags('', { ...atWindow, minuteOfDay: 23 * 60 })).toEqual(['outside_hours']);
    expect(fraudFlags('', { ...atWindow, workingDay: false })).toEqual(['outside_hours']); // closed day
  });
});

describe('periods as rollup buckets', () => {
  it('reads whole months at month grain and the partial edges at day grain', () => {
    expect(planBuckets('2026-01-01', '2026-12-31')).toEqual({
      months: { from: '2026-01', to: '2026-12' },
      days: [],
    });
    expect(planBuckets('2026-01-15', '2026-04-10')).toEqual({
      months: { from: '2026-02', to: '2026-03' },
      days: [
        { from: '2026-01-15', to: '2026-01-31' },
        { from: '2026-04-01', to: '2026-04-10' },
      ],
    });
    expect(planBuckets('2026-02-01', '2026-02-28')).toEqual({
      months: { from: '2026-02', to: '2026-02' },
      days: [],
    });
    expect(planBuckets('2024-02-01', '2024-02-28')).toEqual({
      months: null,
      days: [{ from: '2024-02-01', to: '2024-02-28' }],
    }); // 2024 is a leap year: the 28th is not the month's end
    expect(planBuckets('2026-03-05', '2026-03-09')).toEqual({
      months: null,
      days: [{ from: '2026-03-05', to: '2026-03-09' }],
    });
    expect(planBuckets('2026-03-20', '2026-04-30')).toEqual({
      months: { from: '2026-04', to: '2026-04' },
      days: [{ from: '2026-03-20', to: '2026-03-31' }],
    });
    expect(planBuckets('2026-03-20', '2026-04-03')).toEqual({
      months: null,
      days: [
        { from: '2026-03-20', to: '2026-03-31' },
        { from: '2026-04-01', to: '2026-04-03' },
      ],
    });
    expect(planBuckets('2026-12-01', '2027-01-31')).toEqual({
      months: { from: '2026-12', to: '2027-01' },
      days: [],
    });
    expect(planBuckets('2026-05-02', '2026-05-01')).toEqual({ months: null, days: [] });
  });
});

describe('configuration', () => {
  it('accepts the defaults and names each wrong field', () => {
    expect(configProblems(DEFAULT_RATINGS_CONFIG)).toEqual([]);
    const fields = (patch: object) =>
      configProblems({ ...DEFAULT_RATINGS_CONFIG, ...patch }).map((p) => `${p.field}:${p.code}`);
    expect(fields({ defaultAfterDays: 0 })).toEqual(['defaultAfterDays:invalid_setting']);
    // A default due after the link expired could never be given: 90 days against links valid 30 days.
    expect(fields({ defaultAfterDays: 90, linkValidDays: 30 })).toEqual(['defaultAfterDays:invalid_setting']);
    expect(fields({ defaultAfterDays: 30, linkValidDays: 30 })).toEqual([]);
    expect(fields({ defaultLevel: 2 })).toEqual(['defaultLevel:invalid_setting']);
    expect(fields({ goodFrom: 5 })).toEqual(['goodFrom:invalid_setting']);
    expect(fields({ linkValidDays: 1.5 })).toEqual(['linkValidDays:invalid_setting']);
    expect(fields({ generalDailyLimit: 0 })).toEqual(['generalDailyLimit:invalid_setting']);
    expect(
      fields({
        tags: { ...DEFAULT_RATINGS_CONFIG.tags, online: { ...DEFAULT_RATINGS_CONFIG.tags.online, 2: [] } },
      }),
    ).toEqual(['tags.online.2:level_without_tags']);
    expect(
      fields({
        tags: {
          ...DEFAULT_RATINGS_CONFIG.tags,
          offline: { ...DEFAULT_RATINGS_CONFIG.tags.offline, 5: ['快', '快'] },
        },
      }),
    ).toEqual(['tags.offline.5:duplicate_tag']);
    expect(fields({ fraud: { ...DEFAULT_RATINGS_CONFIG.fraud, burstLimit: 0 } })).toEqual([
      'fraud.burstLimit:invalid_setting',
    ]);
    expect(
      fields({
        openingHours: {
          workingDays: [
            { from: 600, to: 700 },
            { from: 650, to: 800 },
          ],
          otherDays: [],
        },
      }),
    ).toEqual(['openingHours.workingDays.1:invalid_setting']);
  });
});

describe('people and time', () => {
  it('shows a staff member by surname and staff number only', () => {
    expect(staffDisplay('张敏', 'SF00012')).toBe('张（工号 SF00012）');
    expect(staffDisplay('欧阳明华', '007')).toBe('欧阳（工号 007）');
  });

  it('reads China time of day and the UTC start of a China day', () => {
    expect(chinaMinuteOfDay(new Date('2026-03-16T00:30:00Z'))).toBe(8 * 60 + 30);
    expect(chinaMinuteOfDay(new Date('2026-03-16T16:10:00Z'))).toBe(10);
    expect(chinaDayStart('2026-03-16')).toBe('2026-03-15T16:00:00.000Z');
  });

  it('turns rollup rows into the counts of ratingStatistics, optionally for one channel', () => {
    const rows = [
      { channel: 'qr_code', level: 5, isDefault: 0, n: 4 },
      { channel: 'default', level: 3, isDefault: 1, n: 2 },
      { channel: 'sms_link', level: 1, isDefault: 0, n: 1 },
    ];
    const counts = countsFrom(rows, { ...ZERO_ACTIVITY, transactions: 9, activelyRated: 5 });
    expect(counts.byLevel).toEqual({ 5: 4, 4: 0, 3: 2, 2: 0, 1: 1 });
    expect(counts.defaultByLevel).toEqual({ 5: 0, 4: 0, 3: 2, 2: 0, 1: 0 });
    expect(countsFrom(rows, ZERO_ACTIVITY, 'qr_code').byLevel).toEqual({ 5: 4, 4: 0, 3: 0, 2: 0, 1: 0 });
  });
});

describe('the window pad', () => {
  it('looks back over the waiting period, from the China date it began on', () => {
    // 00:05 China time on 17 March: fifteen minutes back is still 16 March.
    expect(kioskLookback(new Date('2026-03-16T16:05:00.000Z'), 15)).toEqual({
      since: '2026-03-16T15:50:00.000Z',
      fromDay: '2026-03-16',
    });
    expect(kioskLookback(new Date('2026-03-16T16:20:00.000Z'), 15)).toEqual({
      since: '2026-03-16T16:05:00.000Z',
      fromDay: '2026-03-17',
    });
  });

  it('rates only its own unit’s offline transactions, within the waiting period and 10 minutes’ grace', () => {
    const now = new Date('2026-03-16T02:00:00.000Z');
    const base = {
      unitId: 'w1',
      mode: 'offline',
      createdAt: '2026-03-16T01:40:00.000Z',
      day: '2026-03-16',
      ratingId: null,
    };
    expect(kioskRefusal(base, 'w1', now, 15)).toBeNull(); // 20 minutes ≤ 15 + 10
    expect(kioskRefusal(base, 'w2', now, 15)).toBe('device_other_unit');
    expect(kioskRefusal({ ...base, mode: 'online' }, 'w1', now, 15)).toBe('not_at_window');
    expect(kioskRefusal({ ...base, createdAt: '2026-03-16T01:35:00.000Z' }, 'w1', now, 15)).toBeNull();
    expect(kioskRefusal({ ...base, createdAt: '2026-03-16T01:34:59.999Z' }, 'w1', now, 15)).toBe(
      'no_longer_waiting',
    );
    expect(kioskRefusal({ ...base, createdAt: '2026-03-16T01:34:59.999Z' }, 'w1', now, 30)).toBeNull();
    // Served on an earlier day, though recorded just now.
    expect(kioskRefusal({ ...base, day: '2026-03-15' }, 'w1', now, 15)).toBe('no_longer_waiting');
    // Already rated: left to ingest, which answers a retry as before and refuses anything else.
    expect(
      kioskRefusal({ ...base, createdAt: '2026-03-01T00:00:00.000Z', ratingId: 'r1' }, 'w1', now, 15),
    ).toBeNull();
    expect(kioskRefusal({ ...base, ratingId: 'r1' }, 'w2', now, 15)).toBe('device_other_unit');
  });

  it('takes a waiting period of 1 to 240 minutes', () => {
    const problems = (kioskWindowMinutes: number) =>
      configProblems({ ...DEFAULT_RATINGS_CONFIG, kioskWindowMinutes }).map((p) => p.field);
    expect(problems(15)).toEqual([]);
    expect(problems(1)).toEqual([]);
    expect(problems(240)).toEqual([]);
    expect(problems(0)).toEqual(['kioskWindowMinutes']);
    expect(problems(241)).toEqual(['kioskWindowMinutes']);
    expect(problems(2.5)).toEqual(['kioskWindowMinutes']);
  });
});

describe('the hall terminal', () => {
  const now = new Date('2026-04-09T02:00:00.000Z');
  const found: HallCandidate = {
    ancestry: ['w2', 'hall', 'dept', 'city'],
    mode: 'offline',
    contactPhone: '139-0000-5678',
    tokenExpiresAt: '2026-05-07T02:00:00.000Z',
    rating: null,
  };

  it('reads a typed number as typed and in capitals, without spaces, full-width characters made plain', () => {
    expect(externalNoCandidates(' hb 2026 0001 ')).toEqual(['hb20260001', 'HB20260001']);
    expect(externalNoCandidates('ＨＢ２０２６')).toEqual(['HB2026']);
    expect(externalNoCandidates('   ')).toEqual([]);
  });

  it('checks the last four digits of the phone, and none when no phone was given', () => {
    expect(phoneDigitsMatch('139-0000-5678', '5678')).toBe(true);
    expect(phoneDigitsMatch('139-0000-5678', '５６７８')).toBe(true);
    expect(phoneDigitsMatch('139-0000-5678', '0000')).toBe(false);
    expect(phoneDigitsMatch('139-0000-5678', '')).toBe(false);
    expect(phoneDigitsMatch('', '')).toBe(true);
    expect(phoneDigitsMatch('', '1234')).toBe(true);
  });

  it('refuses a miss, another subtree and wrong digits alike, then online, rated and expired ones', () => {
    expect(hallRefusal(found, 'hall', '5678', now, null)).toBeNull();
    expect(hallRefusal(undefined, 'hall', '5678', now, null)).toBe('transaction_not_found');
    expect(hallRefusal(found, 'other-hall', '5678', now, null)).toBe('transaction_not_found');
    expect(hallRefusal(found, 'hall', '1234', now, null)).toBe('transaction_not_found');
    expect(hallRefusal({ ...found, ancestry: [] }, 'hall', '5678', now, null)).toBe('transaction_not_found');
    expect(hallRefusal({ ...found, mode: 'online' }, 'hall', '5678', now, null)).toBe('not_at_window');
    const rated = { ...found, rating: { isDefault: false, idempotencyKey: 'k-12345678' } };
    expect(hallRefusal(rated, 'hall', '5678', now, null)).toBe('already_rated');
    expect(hallRefusal(rated, 'hall', '5678', now, 'k-other-key')).toBe('already_rated');
    // The retry of the rating that rated it goes on, to be answered as the first time.
    expect(hallRefusal(rated, 'hall', '5678', now, 'k-12345678')).toBeNull();
    const byDefault = { ...found, rating: { isDefault: true, idempotencyKey: null } };
    expect(hallRefusal(byDefault, 'hall', '5678', now, null)).toBe('transaction_expired');
    const expired = { ...found, tokenExpiresAt: now.toISOString() };
    expect(hallRefusal(expired, 'hall', '5678', now, null)).toBe('transaction_expired');
  });

  it('blocks a device after ten misses within ten minutes until the oldest leaves the window', () => {
    const misses = Array.from({ length: 10 }, (_, i) =>
      new Date(now.getTime() - (9 - i) * 30_000).toISOString(),
    );
    expect(lookupBlockedUntil(misses.slice(1), now)).toBeNull();
    expect(lookupBlockedUntil(misses, now)).toBe('2026-04-09T02:05:30.000Z');
    expect(lookupBlockedUntil(misses, new Date('2026-04-09T02:05:30.000Z'))).toBeNull();
    // Only the latest ten are kept, and none older than the window.
    const many = [...misses, '2026-04-09T01:40:00.000Z', now.toISOString()];
    expect(recentLookupFailures(many, now)).toEqual([...misses.slice(1), now.toISOString()]);
  });
});

describe('months of the ratings partitions', () => {
  it('steps month by month across a year end, both ends included', () => {
    expect(monthStartsBetween('2025-11-30', '2026-02-01')).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(monthStartsBetween('2026-03-10', '2026-03-31')).toEqual(['2026-03-01']);
    expect(monthStartsBetween('2026-04-01', '2026-03-31')).toEqual([]);
    expect(nextMonthStart('2026-12-01')).toBe('2027-01-01');
    expect(() => nextMonthStart('2026-12-02')).toThrow();
  });

  it('keeps the previous month to two months ahead, in January and in December', () => {
    expect(partitionMonthsAround('2026-01-15')).toEqual([
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(partitionMonthsAround('2026-12-31')).toEqual([
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
      '2027-02-01',
    ]);
  });

  it('names a month’s partition', () => {
    expect(monthPartitionName('2026-03-01')).toBe('ratings_y2026m03');
    expect(monthStartOf('2026-03-31')).toBe('2026-03-01');
  });
});

describe('settings per unit', () => {
  const levels = (prefix: string) => ({
    5: [`${prefix}5`],
    4: [`${prefix}4`],
    3: [`${prefix}3`],
    2: [`${prefix}2`],
    1: [`${prefix}1`],
  });
  const evening = { workingDays: [{ from: 480, to: 1320 }], otherDays: [{ from: 480, to: 1320 }] };
  // city > dept > hall > window; the city sets both modes' options, the department its offline ones,
  // the hall its hours.
  const settings: RatingsSettings = {
    ...DEFAULT_RATINGS_CONFIG,
    byUnit: {
      city: { tags: { offline: levels('市'), online: levels('网') } },
      dept: { tags: { offline: levels('局') } },
      hall: { openingHours: evening },
    },
  };

  it('takes each part from the nearest unit that sets it, else the installation-wide setting', () => {
    const atWindow = settingsForUnit(settings, ['window', 'hall', 'dept', 'city']);
    expect(atWindow.tags.offline[1]).toEqual(['局1']);
    expect(atWindow.tags.online[1]).toEqual(['网1']);
    expect(atWindow.openingHours).toEqual(evening);
    const inCity = settingsForUnit(settings, ['other', 'city']);
    expect(inCity.tags.offline[1]).toEqual(['市1']);
    expect(inCity.openingHours).toEqual(DEFAULT_OPENING_HOURS);
    const elsewhere = settingsForUnit(settings, ['w2', 'city2']);
    expect(elsewhere.tags).toEqual(DEFAULT_TAGS);
    expect(elsewhere.openingHours).toEqual(DEFAULT_OPENING_HOURS);
    // The unit's own setting wins over its ancestors'.
    expect(settingsForUnit(settings, ['dept', 'city']).tags.offline[5]).toEqual(['局5']);
    // An ancestry that no longer holds the department (the unit was moved) no longer inherits from it.
    expect(settingsForUnit(settings, ['window', 'hall', 'city']).tags.offline[5]).toEqual(['市5']);
  });

  it('names what is wrong with an override', () => {
    const fields = (override: Parameters<typeof overrideProblems>[0]) =>
      overrideProblems(override, 'byUnit.3').map((p) => `${p.field}:${p.code}`);
    expect(fields({ tags: { offline: levels('甲') }, openingHours: evening })).toEqual([]);
    expect(fields({})).toEqual(['byUnit.3:empty_override']);
    expect(fields({ tags: { online: { ...levels('甲'), 2: [] } } })).toEqual([
      'byUnit.3.tags.online.2:level_without_tags',
    ]);
    expect(fields({ tags: { offline: { ...levels('甲'), 4: ['快', '快'] } } })).toEqual([
      'byUnit.3.tags.offline.4:duplicate_tag',
    ]);
    expect(
      fields({
        openingHours: {
          workingDays: [
            { from: 600, to: 700 },
            { from: 650, to: 800 },
          ],
          otherDays: [{ from: 900, to: 900 }],
        },
      }),
    ).toEqual([
      'byUnit.3.openingHours.workingDays.1:invalid_setting',
      'byUnit.3.openingHours.otherDays.0:invalid_setting',
    ]);
  });

  it('reads stored overrides, leaving out what is unreadable or no longer valid', () => {
    expect(parseOverrides(undefined)).toEqual({});
    expect(
      parseOverrides({
        good: { tags: { offline: levels('甲') }, openingHours: evening },
        partly: { tags: { offline: { ...levels('乙'), 1: [] }, online: levels('丙') } },
        hoursBad: { openingHours: { workingDays: [{ from: 'x', to: 1 }], otherDays: [] } },
        junk: 'nonsense',
      }),
    ).toEqual({
      good: { tags: { offline: levels('甲') }, openingHours: evening },
      partly: { tags: { online: levels('丙') } },
    });
  });

  it('records a hotline system’s ratings with channel hotline; staff devices may not rate', () => {
    expect(channelOfDevice('hotline')).toBe('hotline');
    expect(channelOfDevice('rating_device')).toBe('window_device');
    expect(channelOfDevice('staff')).toBeNull();
  });
});
