import { judgeVolume, median } from '../../lambdas/domain/volume-guard';

describe('the volume rule', () => {
  test('the median of an odd and an even count, and of none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeUndefined();
  });

  test('a day with no kept row is suspicious even with nothing to compare with', () => {
    expect(judgeVolume(0, [], { minShare: 0.1 })).toEqual({
      suspicious: true,
      kept: 0,
      threshold: 1,
      recentDays: 0,
    });
    expect(judgeVolume(0, [50], { minShare: 0 })).toMatchObject({ suspicious: true, threshold: 1 });
  });

  test('below minShare x the recent median is suspicious; at it is not', () => {
    expect(judgeVolume(9, [100, 100, 300], { minShare: 0.1 })).toEqual({
      suspicious: true,
      kept: 9,
      recentMedian: 100,
      threshold: 10,
      recentDays: 3,
    });
    expect(judgeVolume(10, [100, 100, 300], { minShare: 0.1 })).toEqual({ suspicious: false });
  });

  test('one outlier among the recent days does not move the median', () => {
    expect(judgeVolume(80, [100, 90, 110, 100, 95, 105, 100_000], { minShare: 0.1 })).toEqual({
      suspicious: false,
    });
  });
});
