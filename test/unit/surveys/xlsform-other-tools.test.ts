// Workbooks as KoboToolbox and ODK Build export them (one language, their own columns,
// no settings sheet), read by the XLSForm convention as pyxform reads it.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { definitionFromXlsx, definitionToXlsx, sheetProblemMessage } from '../../../surveys/definition-xlsform';

/** An XLSForm reference to a question, `${name}`. */
const ref = (name: string) => `\${${name}}`;

type Rows = (string | number | null)[][];

/** A workbook from sheets of rows (the first row the header), as another tool writes it. */
async function workbook(sheets: Record<string, Rows>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A KoboToolbox export: single-language `label`/`hint`, $kuid, $autoname, appearance, start/end metadata. */
const KOBO_SURVEY: Rows = [
  [
    'type',
    'name',
    'label',
    'hint',
    'required',
    'relevant',
    'constraint',
    'constraint_message',
    'appearance',
    '$kuid',
    '$autoname',
  ],
  ['start', 'start', null, null, null, null, null, null, null, 'k1', 'start'],
  ['end', 'end', null, null, null, null, null, null, null, 'k2', 'end'],
  [
    'begin_group',
    'vereniging',
    'Uw vereniging',
    'Over het seizoen',
    null,
    null,
    null,
    null,
    'field-list',
    'k3',
    'vereniging',
  ],
  ['integer', 'leden', 'Aantal leden', null, 'true', null, '. >= 0', 'Een aantal is nul of meer', null, 'k4', 'leden'],
  [
    'select_one ja_nee',
    'restitutie',
    'Betaalde u contributie terug?',
    null,
    'true',
    null,
    null,
    null,
    'horizontal',
    'k5',
    'restitutie',
  ],
  [
    'decimal',
    'bedrag',
    'Hoeveel euro?',
    'Totaal',
    'false',
    `${ref('restitutie')} = 'ja'`,
    '. >= 0 and . <= 1000000',
    null,
    null,
    'k6',
    'bedrag',
  ],
  ['end_group', null, null, null, null, null, null, null, null, 'k7', null],
  ['begin_group', 'regelingen', 'Regelingen', null, null, null, null, null, null, 'k8', 'regelingen'],
  ['note', 'uitleg', 'Kies alle regelingen die u gebruikte.', null, null, null, null, null, null, 'k9', 'uitleg'],
  [
    'select_multiple regeling',
    'gebruikt',
    'Welke regelingen?',
    null,
    'false',
    null,
    null,
    null,
    null,
    'k10',
    'gebruikt',
  ],
  [
    'text',
    'toelichting',
    'Toelichting',
    null,
    'false',
    `selected(${ref('gebruikt')}, 'now')`,
    null,
    null,
    'multiline',
    'k11',
    'toelichting',
  ],
  ['end_group', null, null, null, null, null, null, null, null, 'k12', null],
];
const KOBO_CHOICES: Rows = [
  ['list_name', 'name', 'label', '$kuid', '$autovalue'],
  ['ja_nee', 'ja', 'Ja', 'c1', 'ja'],
  ['ja_nee', 'nee', 'Nee', 'c2', 'nee'],
  ['regeling', 'now', 'NOW', 'c3', 'now'],
  ['regeling', 'togs', 'TOGS', 'c4', 'togs'],
];
const KOBO_SETTINGS: Rows = [
  ['form_title', 'version', 'default_language'],
  ['Restituties sportbonden', 'vG4x2s9Lq (2024-05-01)', 'Nederlands (nl)'],
];

describe('XLSForm workbooks of other tools', () => {
  it('reads a KoboToolbox export: single-language labels, their columns ignored with one warning, metadata skipped', async () => {
    const read = await definitionFromXlsx(
      await workbook({ survey: KOBO_SURVEY, choices: KOBO_CHOICES, settings: KOBO_SETTINGS }),
      'Restituties sportbonden.xlsx',
    );
    if (!read.ok) throw new Error(read.problems.map((p) => sheetProblemMessage('nl', p)).join('\n'));
    const def = read.definition;
    expect(def.key).toBe('restituties-sportbonden');
    expect(def.version).toBe(1);
    expect(def.title).toEqual({ nl: 'Restituties sportbonden' });
    expect(def.pages.map((p) => p.key)).toEqual(['vereniging', 'regelingen']);
    expect(def.pages[0].intro).toEqual({ nl: 'Over het seizoen' });
    expect(def.pages[1].intro).toEqual({ nl: 'Kies alle regelingen die u gebruikte.' });
    const [leden, restitutie, bedrag] = def.pages[0].questions;
    // constraint_message is read now: the field's error for an answer outside the bounds.
    expect(leden).toEqual({
      key: 'leden',
      type: 'integer',
      label: { nl: 'Aantal leden' },
      required: true,
      min: 0,
      constraint_message: { nl: 'Een aantal is nul of meer' },
    });
    expect(restitutie.type).toBe('single_choice');
    expect(restitutie.options?.map((o) => o.value)).toEqual(['ja', 'nee']);
    expect(bedrag).toMatchObject({ type: 'number', min: 0, max: 1000000, help: { nl: 'Totaal' } });
    expect(bedrag.visible_if).toEqual({ question: 'restitutie', equals: 'ja' });
    expect(def.pages[1].questions[1].visible_if).toEqual({ question: 'gebruikt', equals: 'now' });
    expect(read.warnings.map((w) => sheetProblemMessage('nl', w))).toEqual([
      'Blad survey, rij 1: Deze kolommen gebruikt Impactmonitor niet; genegeerd: appearance, $kuid, $autoname.',
      'Blad choices, rij 1: Deze kolommen gebruikt Impactmonitor niet; genegeerd: $kuid, $autovalue.',
      'Blad survey: Metagegevens van het apparaat of de sessie (start, end, deviceid, …) vraagt Impactmonitor niet uit; rijen 2, 3 overgeslagen.',
    ]);
  });

  it('round trip: a Kobo-style workbook loaded, exported and loaded again gives the same definition', async () => {
    const first = await definitionFromXlsx(
      await workbook({ survey: KOBO_SURVEY, choices: KOBO_CHOICES, settings: KOBO_SETTINGS }),
      'x.xlsx',
    );
    if (!first.ok) throw new Error('not read');
    const again = await definitionFromXlsx(await definitionToXlsx(first.definition));
    if (!again.ok) throw new Error(again.problems.map((p) => sheetProblemMessage('nl', p)).join('\n'));
    expect(again.definition).toEqual(first.definition);
    expect(again.warnings).toEqual([]);
  });

  it('reads an ODK Build export: label::English (en), no settings sheet, questions without groups', async () => {
    const read = await definitionFromXlsx(
      await workbook({
        survey: [
          ['type', 'name', 'label::English (en)', 'label::Dutch (nl)', 'hint::English (en)', 'required', 'relevant'],
          ['integer', 'members', 'Members', 'Leden', 'Count them', 'yes', null],
          ['select_one yn', 'closed', 'Closed?', 'Gesloten?', null, 'yes', null],
          ['integer', 'weeks', 'Weeks', 'Weken', null, 'no', `${ref('closed')} = 'y'`],
        ],
        choices: [
          ['list name', 'name', 'label::English (en)', 'label::nl'],
          ['yn', 'y', 'Yes', 'Ja'],
          ['yn', 'n', 'No', 'Nee'],
        ],
      }),
      'Sport survey.xlsx',
    );
    if (!read.ok) throw new Error(read.problems.map((p) => sheetProblemMessage('nl', p)).join('\n'));
    expect(read.definition.key).toBe('sport-survey');
    expect(read.definition.pages).toHaveLength(1);
    expect(read.definition.pages[0].title).toEqual({ nl: 'sport-survey' });
    const [members, closed, weeks] = read.definition.pages[0].questions;
    expect(members).toEqual({
      key: 'members',
      type: 'integer',
      label: { nl: 'Leden', en: 'Members' },
      help: { nl: 'Count them', en: 'Count them' },
      required: true,
    });
    expect(closed.options?.[0].label).toEqual({ nl: 'Ja', en: 'Yes' });
    expect(weeks.visible_if).toEqual({ question: 'closed', equals: 'y' });
    expect(read.warnings).toEqual([]);
  });

  it('refuses what it cannot ask with one plain sentence naming the feature and the row', async () => {
    const read = await definitionFromXlsx(
      await workbook({
        survey: [
          ['type', 'name', 'label', 'choice_filter', 'calculation'],
          ['integer', 'leden', 'Leden', null, null],
          ['begin_repeat', 'kinderen', 'Kinderen', null, null],
          ['integer', 'leeftijd', 'Leeftijd', null, null],
          ['end_repeat', null, null, null, null],
          ['calculate', 'dubbel', null, null, `${ref('leden')} * 2`],
          ['select_one_from_file clubs.csv', 'club', 'Club', null, null],
          ['select_one ja_nee or_other', 'anders', 'Anders', null, null],
          ['select_one ja_nee', 'gefilterd', 'Gefilterd', `name = ${ref('leden')}`, null],
        ],
        choices: [
          ['list_name', 'name', 'label'],
          ['ja_nee', 'ja', 'Ja'],
        ],
      }),
      'x.xlsx',
    );
    if (read.ok) throw new Error('expected refusal');
    expect(read.problems.map((p) => sheetProblemMessage('nl', p))).toEqual([
      'Rij 3: herhalende groepen (begin_repeat) kan Impactmonitor niet uitvragen.',
      'Rij 6: berekende velden (calculate) kan Impactmonitor niet uitvragen.',
      'Rij 7: keuzelijsten uit een bestand (select_one_from_file) kan Impactmonitor niet uitvragen.',
      'Rij 8: een keuze "anders, namelijk" (or_other) kan Impactmonitor niet uitvragen.',
      'Rij 9: gefilterde keuzelijsten (choice_filter) kan Impactmonitor niet uitvragen.',
    ]);
  });
});
