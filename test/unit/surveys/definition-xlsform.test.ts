import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  definitionChecksum,
  parseDefinition,
  type QuestionType,
  type SurveyDefinition,
} from '../../../surveys/definition-schema';
import { definitionFromXlsx, definitionToXlsx, sheetProblemMessage } from '../../../surveys/definition-xlsform';
import { readConstraint, readRelevant, writeRelevant } from '../../../surveys/xlsform/xlsform-expressions';
import { definitionToSheets } from '../../../surveys/xlsform/xlsform-sheets';
import { CORONA } from '../../support/survey-fixtures';

const T = (nl: string, en = `${nl} (en)`) => ({ nl, en });

/** Every question type, every condition form and every optional field of README "Questionnaires". */
const EVERYTHING = (() => {
  const parsed = parseDefinition({
    key: 'alles-test',
    version: 3,
    title: T('Alles'),
    intro: T('Inleiding met "aanhalingstekens" en een\nnieuwe regel'),
    pages: [
      {
        key: 'een',
        title: T('Eén'),
        intro: T('Over de eerste pagina'),
        questions: [
          { key: 'open', type: 'boolean', label: T('Open?'), required: true },
          { key: 'leerlingen', type: 'integer', label: T('Leerlingen'), min: 0, aux: 'students', required: false },
          { key: 'maanden', type: 'number', label: T('Maanden'), max: 24, unit: T('maanden', 'months') },
          {
            key: 'omzet',
            type: 'currency',
            label: T('Omzet'),
            min: 0,
            max: 1e8,
            aux: 'turnover_eur',
            report_label: T('omzet'),
            report: { statistics: ['total'], key_figure: T('Geschatte omzet') },
            visible_if: { question: 'open', equals: true },
          },
          { key: 'aandeel', type: 'percentage', label: T('Aandeel'), visible_if: { question: 'maanden', gt: 2.5 } },
          { key: 'kort', type: 'integer', label: T('Kort'), visible_if: { question: 'leerlingen', lt: 10 } },
          { key: 'dicht', type: 'integer', label: T('Dicht'), visible_if: { question: 'open', equals: false } },
        ],
      },
      {
        key: 'twee',
        title: T('Twee'),
        questions: [
          {
            key: 'beleid',
            type: 'single_choice',
            label: T('Beleid'),
            options: [
              { value: 'full', label: T('Volledig') },
              { value: 'partial', label: T('Deels') },
              { value: 'none', label: T('Geen') },
            ],
          },
          {
            key: 'bedrag',
            type: 'currency',
            label: T('Bedrag'),
            visible_if: { question: 'beleid', in: ['full', 'partial'] },
          },
          {
            key: 'geen_beleid',
            type: 'text',
            label: T('Waarom niet?'),
            visible_if: { question: 'beleid', equals: 'none' },
          },
          {
            key: 'regelingen',
            type: 'multi_choice',
            label: T('Regelingen'),
            report: { include: true, statistics: ['proportion'] },
            options: [
              { value: 'NOW', label: T('NOW') },
              { value: 'TOGS', label: T('TOGS') },
              { value: 'none', label: T('Geen'), exclusive: true },
            ],
          },
          { key: 'now_fte', type: 'number', label: T('FTE'), visible_if: { question: 'regelingen', equals: 'NOW' } },
          {
            key: 'steun',
            type: 'integer',
            label: T('Steun'),
            visible_if: { question: 'regelingen', in: ['NOW', 'TOGS'] },
          },
          { key: 'naam', type: 'text', label: T("Naam met 'apostrof'"), max_length: 200 },
          {
            key: 'toelichting',
            type: 'text',
            label: T('Toelichting'),
            visible_if: { question: 'naam', equals: "O'Neill" },
          },
          {
            key: 'samengesteld',
            type: 'integer',
            label: T('Samengesteld'),
            visible_if: {
              all: [
                { question: 'open', equals: true },
                {
                  any: [
                    { question: 'maanden', gte: 10 },
                    { not: { question: 'regelingen', equals: 'NOW' } },
                    { question: 'beleid', in: ['full', 'partial'] },
                  ],
                },
                { question: 'leerlingen', not_equals: 0 },
                { question: 'leerlingen', lte: 500 },
              ],
            },
          },
          { key: 'akkoord', type: 'boolean', label: T('Akkoord'), report: { include: false } },
          { key: 'verhaal', type: 'text', label: T('Verhaal'), publish_consent: 'akkoord', report: { include: false } },
        ],
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.definition;
})();

async function roundTrip(def: SurveyDefinition): Promise<SurveyDefinition> {
  const read = await definitionFromXlsx(await definitionToXlsx(def));
  if (!read.ok) throw new Error(read.problems.map((p) => sheetProblemMessage('nl', p)).join('\n'));
  return read.definition;
}

/** Write a definition, let `edit` change the workbook as a user would in Excel, and read it back. */
async function edited(def: SurveyDefinition, edit: (wb: ExcelJS.Workbook) => void) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await definitionToXlsx(def)) as unknown as ArrayBuffer);
  edit(wb);
  const result = await definitionFromXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => sheetProblemMessage('nl', p));
}

/** The row of the survey sheet that holds question `name`. */
function rowOf(wb: ExcelJS.Workbook, name: string, sheet = 'survey'): ExcelJS.Row {
  const ws = wb.getWorksheet(sheet)!;
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(2).value === name) return ws.getRow(r);
  throw new Error(`no row ${name}`);
}
/** A column by its name as we read it: `label::nl` is written `label::Nederlands (nl)`, `aux` is `impact::aux`. */
const col = (header: string) => {
  const written = definitionToSheets(CORONA).survey.header;
  const named = header.replace(/::nl$/, '::Nederlands (nl)').replace(/::en$/, '::English (en)');
  const i = [named, `impact::${named}`].map((h) => written.indexOf(h)).find((x) => x >= 0);
  if (i === undefined) throw new Error(header);
  return i + 1;
};

describe('questionnaire definitions as XLSForm workbooks', () => {
  it.each([
    ['the corona-impact questionnaire (also the demo questionnaire)', CORONA],
    ['a questionnaire with every type, condition and setting', EVERYTHING],
  ])('reads back exactly what it wrote: %s', async (_name, def) => {
    const once = await roundTrip(def);
    expect(once).toEqual(def);
    expect(canonicalJson(once)).toBe(canonicalJson(def));
    expect(definitionChecksum(once)).toBe(definitionChecksum(def));
    const twice = await roundTrip(once);
    expect(canonicalJson(twice)).toBe(canonicalJson(def));
    expect(definitionToSheets(twice)).toEqual(definitionToSheets(def));
  });

  it('writes the XLSForm sheets and columns', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await definitionToXlsx(EVERYTHING)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['survey', 'choices', 'settings']);
    const header = (wb.getWorksheet('survey')!.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 9)).toEqual([
      'type',
      'name',
      'label::Nederlands (nl)',
      'label::English (en)',
      'hint::Nederlands (nl)',
      'hint::English (en)',
      'required',
      'relevant',
      'constraint',
    ]);
    // Only standard XLSForm columns, and ours under impact:: (converters ignore those).
    for (const sheet of ['survey', 'choices', 'settings'])
      for (const h of (wb.getWorksheet(sheet)!.getRow(1).values as string[]).slice(1))
        expect(h).toMatch(
          /^(type|name|label::.*|hint::.*|required|required_message::.*|constraint_message::.*|relevant|constraint|list_name|form_id|version|form_title|default_language|impact::.*)$/,
        );
    const cell = (name: string, header: string) => rowOf(wb, name).getCell(col(header)).value;
    expect(rowOf(wb, 'een').getCell(1).value).toBe('begin_group');
    expect(cell('open', 'type')).toBe('select_one impact_ja_nee');
    expect(cell('open', 'impact::type')).toBe('boolean');
    expect(cell('omzet', 'type')).toBe('decimal');
    expect(cell('omzet', 'impact::type')).toBe('currency');
    expect(cell('maanden', 'type')).toBe('decimal');
    expect(cell('beleid', 'type')).toBe('select_one beleid');
    expect(cell('regelingen', 'type')).toBe('select_multiple regelingen');
    expect(cell('open', 'required')).toBe('yes');
    expect(cell('omzet', 'constraint')).toBe('. >= 0 and . <= 100000000');
    expect(cell('omzet', 'relevant')).toBe("${open} = 'yes'");
    expect(cell('aandeel', 'relevant')).toBe('${maanden} > 2.5');
    expect(cell('bedrag', 'relevant')).toBe("${beleid} = 'full' or ${beleid} = 'partial'");
    expect(cell('now_fte', 'relevant')).toBe("selected(${regelingen}, 'NOW')");
    expect(cell('steun', 'relevant')).toBe("selected(${regelingen}, 'NOW') or selected(${regelingen}, 'TOGS')");
    expect(cell('toelichting', 'relevant')).toBe('${naam} = "O\'Neill"');
    expect(cell('samengesteld', 'relevant')).toBe(
      "${open} = 'yes' and (${maanden} >= 10 or not(selected(${regelingen}, 'NOW')) or (${beleid} = 'full' or ${beleid} = 'partial')) and ${leerlingen} != 0 and ${leerlingen} <= 500",
    );
    expect(cell('omzet', 'statistics')).toBe('total');
    expect(cell('akkoord', 'report')).toBe('no');
    const settings = wb.getWorksheet('settings')!;
    expect(settings.getRow(2).getCell(1).value).toBe('alles-test');
    expect(settings.getRow(2).getCell(2).value).toBe(3);
  });

  it('reads what people type in Excel: XLSForm language headers, TRUE cells, yes for a yes/no question', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await definitionToXlsx(EVERYTHING)) as unknown as ArrayBuffer);
    const survey = wb.getWorksheet('survey')!;
    survey.getRow(1).getCell(col('label::nl')).value = 'label::Dutch (nl)';
    survey.getRow(1).getCell(col('label::en')).value = 'Label::English (en)';
    rowOf(wb, 'open').getCell(col('required')).value = true;
    rowOf(wb, 'omzet').getCell(col('relevant')).value = "${open}='yes'";
    const read = await definitionFromXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.definition).toEqual(EVERYTHING);
  });

  it('names sheet, row and column of every problem of a malformed workbook, in Dutch', async () => {
    const problems = await edited(CORONA, (wb) => {
      rowOf(wb, 'extra_costs_eur').getCell(col('type')).value = 'geopoint';
      rowOf(wb, 'refund_policy').getCell(col('type')).value = 'select_one terugbetaling';
      rowOf(wb, 'online_share_pct').getCell(col('relevant')).value =
        "${online_lessons} = 'yes' and string-length(${online_lessons}) > 3";
      rowOf(wb, 'liquidity_months').getCell(col('name')).value = 'revenue_loss_eur';
      rowOf(wb, 'students_quit').getCell(col('constraint')).value = '. > 0 or . < 3';
      rowOf(wb, 'revenue_loss_eur').getCell(col('required')).value = 'misschien';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Blad survey, rij \d+, kolom type \(A\): Onbekend type "geopoint"/),
        expect.stringMatching(
          /^Blad survey, rij \d+, kolom type \(A\): De keuzelijst "terugbetaling" staat niet op het blad choices\.$/,
        ),
        expect.stringMatching(
          /^Blad survey, rij \d+, kolom relevant \(H\): ".*": de functie "string-length" kan Impactmonitor niet uitvoeren; .* \(bij teken 31\)$/,
        ),
        expect.stringMatching(
          /^Blad survey, rij \d+, kolom name \(B\): De naam "revenue_loss_eur" komt al voor op rij \d+\.$/,
        ),
        expect.stringMatching(/^Blad survey, rij \d+, kolom constraint \(I\): .*"or" kan niet in een grens/),
        expect.stringMatching(/^Blad survey, rij \d+, kolom required \(G\): "misschien" is geen ja\/nee/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('gives the exact rows: the duplicate names the row of the first, the error the row of the second', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await definitionToXlsx(CORONA)) as unknown as ArrayBuffer);
    const first = rowOf(wb, 'revenue_loss_eur').number;
    const second = rowOf(wb, 'liquidity_months').number;
    const problems = await edited(CORONA, (w) => {
      rowOf(w, 'liquidity_months').getCell(col('name')).value = 'revenue_loss_eur';
    });
    expect(problems).toEqual([
      `Blad survey, rij ${second}, kolom name (B): De naam "revenue_loss_eur" komt al voor op rij ${first}.`,
    ]);
  });

  it('maps problems found by the definition schema back to their sheet, row and column', async () => {
    // Structure and texts (the schema's first pass) …
    expect(
      await edited(CORONA, (wb) => {
        rowOf(wb, 'revenue_loss_eur').getCell(col('label::nl')).value = null;
        wb.getWorksheet('choices')!.getRow(2).getCell(2).value = 'met spatie';
      }),
    ).toEqual([
      'Blad survey, rij 3, kolom label::nl (C): Vul een Nederlandse tekst in (Engels mag erbij).',
      'Blad choices, rij 2, kolom name (B): Een optiewaarde bevat alleen letters, cijfers, _ en -.',
    ]);
    // … and the cross-checks (frame variables, conditions on later questions, bounds).
    const problems = await edited(CORONA, (wb) => {
      rowOf(wb, 'extra_costs_eur').getCell(col('aux')).value = 'budget';
      rowOf(wb, 'online_lessons').getCell(col('relevant')).value = '${students_quit} > 3';
      rowOf(wb, 'lessons_cancelled_pct').getCell(col('constraint')).value = '. >= 0 and . <= 150';
    });
    expect(problems).toEqual([
      expect.stringMatching(/^Blad survey, rij \d+, kolom aux \(R\): Onbekende hulpvariabele "budget"/),
      expect.stringMatching(/^Blad survey, rij \d+, kolom constraint \(I\): Een percentage ligt tussen 0 en 100\.$/),
      expect.stringMatching(
        /^Blad survey, rij \d+, kolom relevant \(H\): visible_if verwijst naar vraag "students_quit", die pas later/,
      ),
    ]);
  });

  it('refuses a missing survey sheet and files that are no workbook', async () => {
    expect(
      await edited(CORONA, (wb) => {
        wb.removeWorksheet(wb.getWorksheet('survey')!.id);
      }),
    ).toEqual(['Blad survey: Het werkblad "survey" ontbreekt.']);
    const notXlsx = await definitionFromXlsx(Buffer.from('{"key": "x"}'));
    expect(notXlsx.ok).toBe(false);
    if (!notXlsx.ok)
      expect(sheetProblemMessage('nl', notXlsx.problems[0])).toBe(
        'Het bestand is geen leesbaar Excel-bestand (.xlsx).',
      );
  });

  it('names the row where a page is opened inside a page that was not closed', async () => {
    const problems = await edited(CORONA, (wb) => {
      const ws = wb.getWorksheet('survey')!;
      const endRow = rowOf(wb, 'omzet').number;
      // the first page's end group is the row after its last question; make it a comment-free empty row
      for (let r = endRow + 1; r <= ws.rowCount; r++)
        if (ws.getRow(r).getCell(1).value === 'end_group') {
          ws.getRow(r).getCell(1).value = null;
          ws.getRow(r).getCell(2).value = null;
          break;
        }
    });
    expect(problems[0]).toMatch(
      /^Blad survey, rij \d+, kolom type \(A\): Een pagina \(begin group\) binnen een pagina/,
    );
  });
});

describe('XLSForm relevant and constraint expressions', () => {
  it('reads the condition forms of README "Questionnaires"', () => {
    expect(readRelevant("${a} = 'x'")).toEqual({ question: 'a', equals: 'x' });
    expect(readRelevant('${a}=3')).toEqual({ question: 'a', equals: 3 });
    expect(readRelevant('${a} = true()')).toEqual({ question: 'a', equals: true });
    expect(readRelevant('${a} = \'x\' or ${a} = "y"')).toEqual({ question: 'a', in: ['x', 'y'] });
    expect(readRelevant("selected( ${a} , 'x')")).toEqual({ question: 'a', equals: 'x' });
    expect(readRelevant('${a} > -2.5')).toEqual({ question: 'a', gt: -2.5 });
    expect(readRelevant('${a} < 10')).toEqual({ question: 'a', lt: 10 });
    expect(readRelevant('${a} >= 3')).toEqual({ question: 'a', gte: 3 });
    expect(readRelevant('${a} <= 3')).toEqual({ question: 'a', lte: 3 });
    expect(readRelevant("${a} != 'x'")).toEqual({ question: 'a', not_equals: 'x' });
    expect(writeRelevant({ question: 'a', in: ['x', 'y'] }, () => 'single_choice')).toBe("${a} = 'x' or ${a} = 'y'");
  });

  it('reads and, or, not() and parentheses as a tree, and (and binds closer than or)', () => {
    const types: Record<string, QuestionType> = { q1: 'boolean', q2: 'integer', q3: 'multi_choice' };
    const typeOf = (k: string) => types[k];
    const text = "${q1} = 'yes' and (${q2} >= 10 or not(selected(${q3}, 'sport')))";
    const tree = readRelevant(text, typeOf);
    expect(tree).toEqual({
      all: [
        { question: 'q1', equals: true },
        { any: [{ question: 'q2', gte: 10 }, { not: { question: 'q3', equals: 'sport' } }] },
      ],
    });
    expect(writeRelevant(tree, typeOf)).toBe(text);
    expect(readRelevant("${q1} = 'yes' and ${q2} > 1 or ${q2} < 0", typeOf)).toEqual({
      any: [
        {
          all: [
            { question: 'q1', equals: true },
            { question: 'q2', gt: 1 },
          ],
        },
        { question: 'q2', lt: 0 },
      ],
    });
    // An or-list on one question inside an and stays one comparison with several values.
    const inside = {
      all: [
        { question: 'q2', gt: 1 },
        { question: 'q1', in: [true, false] },
      ],
    };
    expect(readRelevant(writeRelevant(inside, typeOf), typeOf)).toEqual(inside);
  });

  it('refuses what it cannot evaluate, with the position where reading stopped', () => {
    const refused = (text: string, typeOf: (k: string) => QuestionType | undefined = () => undefined) => {
      try {
        readRelevant(text, typeOf);
        return 'ok';
      } catch (e) {
        const error = e as { key: string; params: Record<string, unknown> };
        return `${error.key}@${error.params.position}`;
      }
    };
    expect(refused("${a} > 'x'")).toBe('survey.xlsx.relevant_compare_number@8');
    expect(refused('string-length(${a}) > 3')).toBe('survey.xlsx.relevant_function@1');
    expect(refused("${a} = 'x")).toBe('survey.xlsx.expr_unclosed_string@8');
    expect(refused('${a} =')).toBe('survey.xlsx.expr_value@7');
    expect(refused("(${a} = 'x'")).toBe('survey.xlsx.expr_incomplete@12');
    expect(refused("${a} = 'x' ${b} = 'y'")).toBe('survey.xlsx.expr_trailing@12');
    expect(refused("not ${a} = 'x'")).toBe('survey.xlsx.expr_expected@5');
    expect(refused("${m} = 'x'", () => 'multi_choice')).toBe('survey.xlsx.relevant_use_selected@1');
    expect(refused("selected(${n}, 'x')", () => 'integer')).toBe('survey.xlsx.relevant_selected_not_choice@10');
  });

  it('reads min and max from a constraint', () => {
    expect(readConstraint('. >= 0 and . <= 100')).toEqual({ min: 0, max: 100 });
    expect(readConstraint('.<=5')).toEqual({ max: 5 });
    expect(() => readConstraint('. > 0')).toThrow();
    expect(() => readConstraint('. >= 0 and . >= 1')).toThrow();
    expect(() => readConstraint('regex(., "x")')).toThrow();
  });
});
