// Step 6 (part): the warnings of a report, in plain Dutch, one sentence per kind
// of problem naming the questions it concerns. In protected output the warnings
// are disclosure-checked like the numbers: a group smaller than 2 · min_cell is
// never named (that it did not respond, or has one respondent, is itself about
// identifiable organisations), shares are whole percentages, counts below
// min_cell are a band.
import { allQuestions } from '../../surveys/definition-schema';
import { t } from '../../views/i18n/index';
import type { CalibrationFailure } from '../estimators/calibration';
import type { ReportNote } from './report-estimate';
import type { ReportPlan } from './report-plan';

const percent = (share: number) =>
  share > 0 && share < 0.01 ? 'minder dan 1%' : `${new Intl.NumberFormat('nl-NL').format(Math.round(share * 100))}%`;

function joinDutch(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} en ${items[items.length - 1]}`;
}

/** The KAnS variables in words, for the reader of a warning. */
const AUX_WORDS: Record<string, string> = {
  turnover_eur: 'omzet',
  subsidy_eur: 'subsidie',
  students: 'aantal leerlingen',
  fte: 'fte',
  teachers_employed: 'docenten in loondienst',
  teachers_freelance: 'zzp-docenten',
};

const VARIABLE_WORDS: Record<string, string> = {
  org_type: 'type',
  province: 'provincie',
  size_class: 'grootteklasse',
  member: 'lidmaatschap',
  ...AUX_WORDS,
};

/** Why a calibration could not be made, naming the category (a small one only as "een kleine categorie"). */
function calibrationReason(failure: CalibrationFailure, plan: ReportPlan): string {
  switch (failure.kind) {
    case 'empty_category': {
      const variable = VARIABLE_WORDS[failure.variable] ?? failure.variable;
      const small = plan.protect && failure.N < 2 * plan.params.minCell;
      return small
        ? t('nl', 'report.calibration.empty_small', { variable })
        : t('nl', 'report.calibration.empty_category', { variable, category: failure.category, N: failure.N });
    }
    case 'empty_total':
      return t('nl', 'report.calibration.empty_total', {
        variable: VARIABLE_WORDS[failure.variable] ?? failure.variable,
      });
    case 'conflict':
      return t('nl', 'report.calibration.conflict', {
        variable: VARIABLE_WORDS[failure.variable] ?? (failure.variable === '(stratum)' ? 'stratum' : failure.variable),
        category: failure.category ? ` “${failure.category}”` : '',
      });
    case 'negative_weights':
      return t('nl', 'report.calibration.negative', { n: failure.count });
    default:
      return t('nl', 'report.calibration.no_convergence');
  }
}

export function reportWarnings(
  plan: ReportPlan,
  notes: ReportNote[],
  outside: number,
  strataSizes: ReadonlyMap<string, number>,
): string[] {
  const { minCell } = plan.params;
  const labels = new Map(allQuestions(plan.definition).map((q) => [q.key, q.report_label?.nl ?? q.label.nl]));
  const question = (key: string) => `“${labels.get(key) ?? key}”`;
  const warnings: string[] = [];
  if (outside > 0)
    warnings.push(
      t('nl', 'report.warning.outside_frame', {
        n: plan.protect && outside < minCell ? `minder dan ${minCell}` : outside,
        year: plan.year,
      }),
    );

  // Strata are named only when they are large enough; small ones are counted.
  const nameStrata = (strata: string[], sizes: ReadonlyMap<string, number>) => {
    if (!plan.protect) return joinDutch(strata);
    const named = strata.filter((s) => (sizes.get(s) ?? 0) >= 2 * minCell);
    const small = strata.length - named.length;
    const parts = [...named];
    if (small === 1) parts.push('één kleine groep');
    else if (small > 1) parts.push(`${small} kleine groepen`);
    return joinDutch(parts);
  };

  // One sentence per kind and per set of strata, listing every question it concerns.
  const grouped = new Map<string, { note: ReportNote; questions: string[] }>();
  for (const note of notes) {
    const key =
      note.kind === 'missing_aux'
        ? `${note.kind}|${note.aux}|${note.n}`
        : note.kind === 'calibration_failed'
          ? `${note.kind}|${calibrationReason(note.failure, plan)}`
          : `${note.kind}|${note.strata.join('|')}`;
    const entry = grouped.get(key) ?? { note, questions: [] };
    entry.questions.push(note.question);
    grouped.set(key, entry);
  }
  for (const { note, questions } of grouped.values()) {
    const which = joinDutch(questions.map(question));
    if (note.kind === 'empty_strata') {
      warnings.push(
        t('nl', 'report.warning.empty_strata', {
          strata: nameStrata(note.strata, strataSizes),
          shareN: percent(note.shareN),
          questions: which,
        }),
      );
    } else if (note.kind === 'lonely') {
      warnings.push(
        t('nl', 'report.warning.lonely', { strata: nameStrata(note.strata, strataSizes), questions: which }),
      );
    } else if (note.kind === 'calibration_failed') {
      warnings.push(
        t('nl', 'report.warning.calibration_failed', {
          reason: calibrationReason(note.failure, plan),
          questions: which,
        }),
      );
    } else {
      warnings.push(
        t('nl', 'report.warning.missing_aux', {
          n: plan.protect && note.n < minCell ? `minder dan ${minCell}` : note.n,
          aux: AUX_WORDS[note.aux] ?? note.aux,
          questions: which,
        }),
      );
    }
  }
  return warnings;
}
