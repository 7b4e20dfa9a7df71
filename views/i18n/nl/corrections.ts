// Staff corrections of submitted answers (data editing), and what the member reads of them.
export const corrections: Record<string, string> = {
  'corrections.unknown_wave': 'Meting "{wave}" bestaat niet.',
  'corrections.wave_draft': 'Meting {wave} is nog in voorbereiding: er zijn geen antwoorden om te corrigeren.',
  'corrections.unknown_org': 'Organisatie {org} heeft geen antwoorden in meting {wave}.',
  'corrections.not_submitted':
    'De antwoorden van {org} zijn niet ingediend (concept): de organisatie past ze zelf aan en dient ze in.',
  'corrections.unknown_question': 'deze vraag bestaat niet in de vragenlijst van deze meting.',
  'corrections.duplicate': 'deze vraag staat meer dan eens in de correctie.',
  'corrections.hidden_question':
    'deze vraag is voor deze organisatie niet van toepassing (overgeslagen door een eerder antwoord).',
  'corrections.required': 'deze vraag is verplicht en kan niet leeg worden gemaakt.',
  'corrections.required_now':
    'door deze correctie wordt deze verplichte vraag van toepassing: geef ook hier een waarde (nog een --set of eerst deze vraag corrigeren).',
  'corrections.unchanged': 'de nieuwe waarde is gelijk aan de huidige.',
  'corrections.reason_required': 'Geef een reden voor de correctie.',
  'corrections.reason_too_long': 'De reden is te lang: hoogstens {max} tekens.',
  'corrections.nothing': 'Geef minstens één nieuwe waarde (--set VRAAG=WAARDE).',
  'corrections.bad_set': '--set {value}: schrijf VRAAG=WAARDE, bijvoorbeeld --set revenue_loss_eur=45.000.',
  'corrections.cli.failed': 'Niets gecorrigeerd:',
  'corrections.cli.done': 'Gecorrigeerd: {n} antwoord(en) van {org} in meting {wave}.',
  'corrections.link': 'Corrigeren',
  'corrections.title': 'Antwoord corrigeren – {org}',
  'corrections.explain':
    'U past dit antwoord zelf aan; de antwoorden blijven ingediend en tellen met de nieuwe waarde mee, ook in een gesloten meting. De oude en nieuwe waarde, uw naam en de reden komen in de geschiedenis, en de organisatie ziet de correctie en de reden bij haar eigen antwoorden. Rapporten van deze meting worden opnieuw berekend.',
  'corrections.current': 'Huidig antwoord: {value}',
  'corrections.value_label': 'Nieuwe waarde',
  'corrections.value_hint_number': 'Zoals in het formulier, bijvoorbeeld 45.000 of € 45.000,50. Leeg = geen antwoord.',
  'corrections.no_answer': 'geen antwoord',
  'corrections.reason_label': 'Reden (de organisatie leest deze)',
  'corrections.reason_hint': 'Bijvoorbeeld: nagebeld op 3 december, het bedrag was tien keer te hoog ingevuld.',
  'corrections.submit': 'Correctie opslaan',
  'corrections.done': 'Gecorrigeerd: {question}.',
  'data_editing.action.response.correct': 'Gecorrigeerd door de vereniging',
  'data_editing.history.reason': 'reden: {reason}',
  'monitor.reopen_closed':
    'De meting is gesloten: de organisatie kan niet opnieuw indienen, dus heropenen zou haar antwoorden uit de cijfers halen. Corrigeer een waarde met een reden op de pagina Controle van de antwoorden.',
  'monitor.reopen_to_editing': 'Naar de controle van de antwoorden',
  'data_editing.review_closed':
    'De meting is gesloten: de organisatie kan niet opnieuw indienen, dus terugzetten zou haar antwoorden uit de cijfers halen. Corrigeer de waarde hier zelf, met een reden (“Corrigeren” bij het antwoord).',
  'corrections.member_note': 'Gecorrigeerd door de vereniging op {date}: {before} → {after}. Reden: {reason}',
  'corrections.member_title': 'Correcties door de vereniging',
  'comparison.too_few':
    'Zodra minstens 10 organisaties hebben geantwoord, ziet u hier waar uw organisatie staat ten opzichte van de branche.',
  'comparison.pending':
    'Uw antwoorden zijn ingediend of gewijzigd na de laatste stand. Uw positie volgt bij de volgende vernieuwing (na minstens 5 nieuwe of gewijzigde antwoorden, of na een dag); tot dan staat er “–”.',
  'publish.revision.refused_title':
    'Een nieuwe versie van dit adres kan nu niet worden gepubliceerd (vergeleken met versie {version}):',
  'publish.revision.too_few':
    'Sinds versie {version} zijn de antwoorden van {n} organisatie(s) gewijzigd of bijgekomen. Wie beide versies naast elkaar legt, ziet dan wat die organisatie(s) hebben opgegeven. Publiceer een nieuwe versie pas als de antwoorden van minstens {min} organisaties zijn gewijzigd of bijgekomen.',
  'publish.revision.dominated':
    'Het verschil met versie {version} bij “{question}” komt voor meer dan {share}% van één organisatie: de twee versies naast elkaar verraden haar wijziging. Wacht tot meer antwoorden zijn gewijzigd, of laat de vorige versie staan.',
  'publish.revision.why':
    'Een nieuwe versie wordt vergeleken met de antwoorden waarop de vorige versie van dit adres was gebaseerd. Zo kan niemand door twee versies van elkaar af te trekken de gegevens van één organisatie terugrekenen.',
  'publish.revision.unchanged':
    'Sinds versie {version} zijn geen antwoorden gewijzigd of bijgekomen: een nieuwe versie geeft dezelfde cijfers.',
  'publish.revision.ok':
    'Vergeleken met versie {version}: de antwoorden van {n} organisatie(s) zijn gewijzigd of bijgekomen; het verschil is niet tot één organisatie te herleiden.',
  'publish.held.title':
    'De cijfers van {wave} staan hierin zoals ze zijn uitgebracht (/resultaten/{slug}, versie {version}), niet opnieuw berekend, in de kolommen vorige meting, verschil en verloop:',
  'publish.held.why':
    'Sinds die publicatie zijn antwoorden van {wave} gecorrigeerd of bijgekomen. Zouden de vorige meting, het verschil en het verloop opnieuw berekend worden, dan kon iemand ze naast de publicatie leggen en aftrekken, en zo zien wat één organisatie heeft opgegeven. Zodra genoeg antwoorden zijn gewijzigd (een batch), verschijnen de nieuwe cijfers vanzelf.',
};
