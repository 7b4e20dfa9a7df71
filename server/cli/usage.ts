import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Exit codes of README "Command line". */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input the user can correct (a bad file, an unknown wave): exit 1 with the message. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export const HELP = `Impactmonitor – gebruik: npx impactmonitor <opdracht> [opties]

Database: DATABASE_URL (PostgreSQL), anders de ingebouwde PGlite-database in
IMPACT_DATA_DIR (standaard ./data). Afsluitcodes: 0 gelukt, 1 ongeldige invoer
(fouten op stderr, niets weggeschreven), 2 verkeerd gebruik.

Opdrachten:
  serve [--no-supervisor]                 start de webapplicatie (poort PORT, standaard 3000),
                                          bewaakt: na een crash binnen seconden weer op
  migrate                                 voer alle databasemigraties uit
  user create --email E --role admin|staff|member [--org ORG_ID] [--name N]
                                          maak een gebruiker; wachtwoord via stdin
  frame import FILE.csv --year YYYY [--dry-run] [--replace]
                                          importeer een populatiebestand (KAnS)
  frame contacts FILE.csv --year YYYY [--dry-run]
                                          importeer contactadressen (org_id, email, contactpersoon)
  frame list                              populatie per jaar
  survey load FILE.json|FILE.xlsx         laad een vragenlijstdefinitie, JSON of Excel (XLSForm);
                                          toont sleutel en versie
  survey export KEY [--version V] [--format json|xlsx] [--out FILE]
                                          schrijf een versie (standaard de laatste) als JSON of Excel;
                                          zonder --format bepaalt de extensie van --out het formaat;
                                          JSON zonder --out gaat naar stdout, xlsx vraagt --out
  survey list                             alle vragenlijsten
  wave create --survey KEY [--version V] --slug SLUG --name NAME --frame-year YYYY
              [--opens ISO] [--closes ISO] [--weighting VAR[,VAR]]
              [--calibrate VAR[,VAR…] [--calibration linear|raking]]
              [--period-start YYYY-MM-DD --period-end YYYY-MM-DD]
  wave open SLUG | wave close SLUG | wave list
  responses import FILE.csv --wave SLUG [--dry-run]
                                          importeer antwoorden (worden ingediend)
  responses export --wave SLUG [--format csv|csv-nl] [--out FILE]
  responses correct --wave SLUG --org ORG_ID --set KEY=VALUE [--set KEY=VALUE …] --reason TEXT
                                          corrigeer ingediende antwoorden (met reden)
  report --wave SLUG [--stratify VAR] [--by VAR] [--questions K1,K2]
         [--format json|csv|csv-nl|xlsx|pdf] [--out FILE] [--no-protect]
  branch --year YYYY [--format json|csv|csv-nl|pdf] [--out FILE]
                                          de branche in cijfers van een peiljaar (afgeschermd als
                                          op de pagina); json en csv zonder --out naar stdout,
                                          pdf vraagt --out
  demo [--orgs N] [--seed S]              vul de database met synthetische gegevens
  demo-serve [--orgs N] [--seed S] [--no-supervisor]
                                          de app op een eigen demodatabase (./data-demo; npm run demo)

  --help                                  deze hulp
`;

/**
 * Node's parseArgs with its errors in Dutch (its own text is English), naming the
 * option and, for a typing error, the option meant: exit 2 like any usage error.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw argsError(error, Object.keys(config.options ?? {}));
  }
}

function argsError(error: unknown, known: string[]): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const token = message.match(/'([^']*)'/)?.[1]?.split(' ')[0] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const meant = closestOption(token.replace(/^-+/, ''), known);
      return new UsageError(`Onbekende optie "${token}".${meant ? ` Bedoelt u --${meant}?` : ''}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        /does not take an argument/.test(message)
          ? `De optie ${token} neemt geen waarde.`
          : `De optie ${token} vraagt een waarde.`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`Onverwacht argument "${token}".`);
    default:
      return new UsageError(message);
  }
}

/** The known option within two typing errors of the given one (Levenshtein distance), if any. */
function closestOption(name: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const option of known) {
    const d = editDistance(name.toLowerCase(), option);
    if (d < bestDistance) [best, bestDistance] = [option, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
