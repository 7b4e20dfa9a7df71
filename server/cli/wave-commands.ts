import { amsterdamDate } from '../../foundation/numbers/amsterdam-time';
import { changeWaveStatus, createWave, parsePeriodDate, parseWaveDate, WaveError } from '../../surveys/waves/waves';
import { listWaves } from '../../surveys/waves/waves-repository';
import { t } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

function parse(args: string[]) {
  try {
    return parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        survey: { type: 'string' },
        version: { type: 'string' },
        slug: { type: 'string' },
        name: { type: 'string' },
        'frame-year': { type: 'string' },
        opens: { type: 'string' },
        closes: { type: 'string' },
        weighting: { type: 'string' },
        calibrate: { type: 'string' },
        calibration: { type: 'string' },
        'period-start': { type: 'string' },
        'period-end': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const USAGE =
  'Gebruik: wave create --survey KEY [--version V] --slug SLUG --name NAME --frame-year YYYY [--opens ISO] [--closes ISO] [--weighting VAR[,VAR]] [--calibrate VAR[,VAR…] [--calibration linear|raking]] [--period-start YYYY-MM-DD --period-end YYYY-MM-DD] | wave open SLUG | wave close SLUG | wave list';

function integer(value: string | undefined, option: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} moet een geheel getal zijn, niet "${value}".`);
  return Number(value);
}

export const wave: Command = async (args, { config, io }) => {
  const { positionals, values } = parse(args);
  const [sub, slugArg] = positionals;
  if (!sub || !['create', 'open', 'close', 'list'].includes(sub)) throw new UsageError(USAGE);
  if ((sub === 'open' || sub === 'close') && !slugArg) throw new UsageError(`Gebruik: wave ${sub} SLUG`);
  let newWave: Parameters<typeof createWave>[1] | null = null;
  if (sub === 'create') {
    if (!values.survey || !values.slug || !values.name || !values['frame-year']) throw new UsageError(USAGE);
    try {
      newWave = {
        surveyKey: values.survey,
        surveyVersion: integer(values.version, '--version'),
        slug: values.slug,
        name: values.name,
        frameYear: integer(values['frame-year'], '--frame-year')!,
        opensAt: parseWaveDate(values.opens, 'opens'),
        closesAt: parseWaveDate(values.closes, 'closes'),
        weighting: values.weighting ?? null,
        calibrate: values.calibrate ?? null,
        calibrationMethod: values.calibration ?? null,
        periodStart: parsePeriodDate(values['period-start'], 'period_start'),
        periodEnd: parsePeriodDate(values['period-end'], 'period_end'),
      };
    } catch (error) {
      if (error instanceof WaveError) throw new UsageError(t('nl', error.code, error.params));
      throw error;
    }
  }
  const handle = await openMigrated(config, `wave ${sub}`);
  try {
    if (sub === 'list') {
      const waves = await listWaves(handle.db);
      if (waves.length === 0) io.stdout.write('Nog geen metingen.\n');
      // The Dutch calendar day: a wave closing at the end of 31 December lists 31 December.
      const day = (d: Date | null) => (d ? amsterdamDate(d) : '–');
      for (const w of waves) {
        const fields = [
          w.slug,
          w.status,
          `${w.survey_key} v${w.survey_version}`,
          `populatie ${w.frame_year}`,
          t('nl', 'waves.cli.window', { opens: day(w.opens_at), closes: day(w.closes_at) }),
          w.period_start && w.period_end
            ? t('nl', 'waves.cli.period', { start: w.period_start, end: w.period_end })
            : t('nl', 'waves.cli.no_period'),
          t('nl', 'waves.cli.response', { n: w.submitted, N: w.population }),
          w.calibration
            ? t('nl', 'waves.cli.calibration', { vars: w.calibration, method: w.calibration_method })
            : t('nl', 'waves.cli.no_calibration'),
          w.name,
        ];
        io.stdout.write(`${fields.join('\t')}\n`);
      }
      return EXIT.ok;
    }
    if (sub === 'create') {
      const created = await createWave(handle.db, newWave!, null);
      io.stdout.write(
        `Meting ${created.slug} aangemaakt (${created.survey_key} v${created.survey_version}, populatie ${created.frame_year}); status: ${t('nl', `waves.status.${created.status}`)}. Open hem met: wave open ${created.slug}\n`,
      );
      return EXIT.ok;
    }
    const changed = await changeWaveStatus(handle.db, slugArg, sub === 'open' ? 'open' : 'closed', null);
    io.stdout.write(`Meting ${changed.slug} is nu ${changed.status === 'open' ? 'open' : 'gesloten'}.\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof WaveError) throw new InputError(t('nl', error.code, error.params));
    throw error;
  } finally {
    await handle.close();
  }
};
