// The branch in figures: what the population frame alone says, protected like any
// report (analysis/report/branch-figures.ts), as a page and a readable CSV.
import { Router } from 'express';
import { z } from 'zod';
import {
  BRANCH_DIMENSIONS,
  BRANCH_MEASURES,
  type BranchFigures,
  type BranchMeasure,
  branchFigures,
} from '../../analysis/branch/branch-figures';
import { listYears } from '../../analysis/frame/frame-repository';
import { logRelease } from '../../exports/release-log';
import { toCsv } from '../../foundation/csv/csv';
import { formatAmount, formatNumber } from '../../foundation/numbers/format-dutch';
import { type Locale, t } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { notFound } from '../web/http-error';

const MONEY: BranchMeasure[] = ['turnover_eur', 'subsidy_eur'];

/** A value as the page shows it: amounts in the report style, "–" where withheld. */
function shown(m: BranchMeasure, value: number | null, locale: Locale): string {
  if (value === null) return '–';
  return MONEY.includes(m) ? formatAmount(value, locale) : formatNumber(value, locale, m === 'fte' ? 1 : 0);
}

function tables(figures: BranchFigures, locale: Locale) {
  const dimensions = [null, ...BRANCH_DIMENSIONS];
  return dimensions.map((d) => ({
    caption:
      d === null
        ? t(locale, 'report.whole_branch')
        : t(locale, 'report.table.per', { dimension: t(locale, `reports.var.${d}`) }),
    columns: [
      t(locale, 'report.col.domain'),
      t(locale, 'branch.col.organisations'),
      t(locale, 'branch.col.members'),
      ...BRANCH_MEASURES.map((m) => t(locale, `branch.measure.${m}`)),
    ],
    rows: figures.cells
      .filter((c) => c.dimension === d)
      .map((c) => ({
        header: c.domain === '*' ? t(locale, 'report.whole_branch') : c.domain,
        cells: [
          formatNumber(c.organisations, locale),
          formatNumber(c.members, locale),
          ...BRANCH_MEASURES.map((m) => shown(m, c.values[m].estimate, locale)),
        ],
        changes: BRANCH_MEASURES.map((m) => {
          const change = c.values[m].change;
          if (change === null) return '–';
          const sign = change > 0 ? '+' : change < 0 ? '−' : '';
          return `${sign}${shown(m, Math.abs(change), locale)}`;
        }),
        suppressed: BRANCH_MEASURES.some((m) => c.values[m].suppressed),
      })),
  }));
}

export function branchRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;
  const year = (value: unknown) => {
    const parsed = z.coerce.number().int().min(1900).max(2200).safeParse(value);
    return parsed.success ? parsed.data : null;
  };

  async function load(requested: unknown) {
    const figures = await branchFigures(db, { year: year(requested) });
    if (!figures) throw notFound();
    return figures;
  }

  router.get('/beheer/branche', requireStaff, async (req, res) => {
    const figures = await branchFigures(db, { year: year(req.query.jaar) });
    const years = (await listYears(db)).map((r) => r.year);
    await res.page('pages/branch', {
      title: t(res.locals.locale, 'branch.title'),
      figures,
      years,
      tables: figures ? tables(figures, res.locals.locale) : [],
    });
  });

  router.get('/beheer/branche.csv', requireStaff, async (req, res) => {
    const figures = await load(req.query.jaar);
    const locale = res.locals.locale as Locale;
    const header = [
      t(locale, 'branch.col.year'),
      t(locale, 'report.table.col.uitsplitsing'),
      t(locale, 'report.table.col.groep'),
      t(locale, 'branch.col.organisations'),
      t(locale, 'branch.col.members'),
      ...BRANCH_MEASURES.flatMap((m) => [
        t(locale, `branch.measure.${m}`),
        t(locale, 'branch.col.change_of', { measure: t(locale, `branch.measure.${m}`) }),
      ]),
    ];
    const rows = figures.cells.map((c) => [
      figures.year,
      c.dimension ? t(locale, `reports.var.${c.dimension}`) : '',
      c.domain === '*' ? t(locale, 'report.whole_branch') : c.domain,
      c.organisations,
      c.members,
      ...BRANCH_MEASURES.flatMap((m) => [c.values[m].estimate, c.values[m].change]),
    ]);
    await logRelease(db, {
      userId: req.user!.id,
      kind: 'export',
      wave: `KAnS ${figures.year}`,
      view: { stratify: BRANCH_DIMENSIONS, by: null, questions: [...BRANCH_MEASURES] },
      format: 'csv-nl',
    });
    res
      .type('text/csv; charset=utf-8')
      .attachment(`branche-in-cijfers-${figures.year}.csv`)
      .send(toCsv(header, rows, 'csv-nl'));
  });

  return router;
}
