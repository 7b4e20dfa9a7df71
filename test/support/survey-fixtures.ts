// A small frame, the shipped questionnaire and an open wave, for survey tests.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { DatabaseHandle } from '../../foundation/db/database';
import { demoFrameCsv, generateDemoFrame } from '../../register/demo-frame';
import { importFrame } from '../../register/frame-import';
import { loadDefinition, parseDefinitionText } from '../../surveys/definitions';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { repoRoot } from './cli';

export const CORONA = parseDefinitionText(
  fs.readFileSync(path.join(repoRoot, 'surveys/definitions/corona-impact.json'), 'utf8'),
);

/** A frame of generated organisations and an open wave; `contacts: true` keeps the frame's e-mail addresses. */
export async function seedSurvey(
  handle: DatabaseHandle,
  options: { orgs?: number; slug?: string; contacts?: boolean } = {},
) {
  const rows = generateDemoFrame({ orgs: options.orgs ?? 40, seed: 11 }).map((r) =>
    options.contacts ? r : { ...r, email: null, contact_name: null },
  );
  const csv = Buffer.from([...demoFrameCsv(rows)].join(''));
  await importFrame(handle, {
    open: () => Readable.from([csv]),
    fileName: 'frame.csv',
    year: 2019,
    replace: false,
    actor: null,
    source: 'cli',
  });
  await loadDefinition(handle.db, CORONA, null);
  const slug = options.slug ?? 'corona-2020-05';
  await createWave(
    handle.db,
    { surveyKey: 'corona-impact', slug, name: 'Coronamonitor mei 2020', frameYear: 2019 },
    null,
  );
  await changeWaveStatus(handle.db, slug, 'open', null);
  return { rows, slug };
}

/** Answers for every page of the corona questionnaire, as a member would type them; within every
 * fixture organisation's frame figures, so no soft check (surveys/plausibility.ts) holds a page. */
export const PAGE_ANSWERS: Record<string, string | string[]>[] = [
  { revenue_loss_eur: '€ 12.500,50', extra_costs_eur: '1500', liquidity_months: '4,5' },
  {
    lessons_cancelled_pct: '45%',
    online_lessons: 'true',
    online_share_pct: '60',
    students_quit: '23',
    refund_policy: 'partial',
    refund_amount_eur: '3250',
  },
  { schemes: ['NOW', 'TVL'], now_employees: '0', staff_reduction_fte: '0', freelance_teachers_affected: '0' },
  { closure_risk: 'small', biggest_need: 'compensation' },
  { share_best_practice: 'false', remarks: 'Zie <script>alert(1)</script>' },
];
