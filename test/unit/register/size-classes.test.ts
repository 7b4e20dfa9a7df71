import { describe, expect, it } from 'vitest';
import { compareLabels } from '../../../analysis/report/report-model';
import { compareSizeClasses } from '../../../register/frame-columns';

describe('size classes in their natural order', () => {
  it('sorts <250, 250-999, 1000-2499, >=2500, not as text, with anything unknown after them', () => {
    const asText = ['1000-2499', '250-999', '<250', '>=2500', '–'];
    expect([...asText].sort(compareSizeClasses)).toEqual(['<250', '250-999', '1000-2499', '>=2500', '–']);
    // The report (page, PDF, CSV, XLSX) uses the same order.
    expect([...asText].sort((a, b) => compareLabels('size_class', a, b))).toEqual([
      '<250',
      '250-999',
      '1000-2499',
      '>=2500',
      '–',
    ]);
  });
});
