// How large a file may be (foundation/file-limits.ts): what was too large, per cap.
export const limits: Record<string, string> = {
  'limits.xlsx.not_zip': 'Het bestand is geen leesbaar Excel-bestand (.xlsx).',
  'limits.xlsx.zip64':
    'Het Excel-bestand is te groot: het gebruikt zip64, wat alleen bij bestanden boven 4 GB nodig is.',
  'limits.xlsx.encrypted': 'Het Excel-bestand is versleuteld; sla het op zonder wachtwoord.',
  'limits.xlsx.entries': 'Het Excel-bestand bestaat uit {n} onderdelen; ten hoogste {max} zijn toegestaan.',
  'limits.xlsx.unpacked':
    'Het Excel-bestand is uitgepakt groter dan {mb} MB (te groot bij onderdeel "{entry}"); zo groot is een vragenlijst nooit.',
  'limits.xlsx.ratio':
    'Het onderdeel "{entry}" van het Excel-bestand pakt {ratio} keer zo groot uit als het is; zo\'n bestand wordt niet gelezen.',
  'limits.xlsx.entry': 'Het onderdeel "{entry}" van het Excel-bestand is uitgepakt groter dan {mb} MB.',
  'limits.xlsx.entry_lies':
    'Het onderdeel "{entry}" van het Excel-bestand pakt groter uit dan het zelf opgeeft; het bestand is beschadigd.',
  'limits.xlsx.depth': 'Het onderdeel "{entry}" van het Excel-bestand is dieper dan {max} niveaus genest.',
  'limits.xlsx.elements': 'Het onderdeel "{entry}" van het Excel-bestand heeft meer dan {max} elementen.',
  'limits.xlsx.sheets': 'Het Excel-bestand heeft meer dan {max} werkbladen.',
  'limits.xlsx.shared_strings': 'Het Excel-bestand heeft meer dan {max} verschillende teksten.',
  'limits.xlsx.string_chars': 'De teksten in het Excel-bestand zijn samen langer dan {mb} miljoen tekens.',
  'limits.xlsx.cell_chars': 'Een cel in blad {sheet} is langer dan {max} tekens.',
  'limits.xlsx.rows': 'Blad {sheet} heeft meer dan {max} rijen.',
  'limits.xlsx.columns': 'Blad {sheet}, rij {row}: er staat een waarde voorbij kolom {max}.',
  'limits.xlsx.layout':
    "Blad {sheet} beschrijft kolommen of samengevoegde cellen buiten het blad; zo'n bestand wordt niet gelezen.",
  'limits.xlsx.cells': 'Het Excel-bestand heeft meer dan {max} cellen.',
  'limits.xlsx.time': 'Het lezen van het Excel-bestand duurde langer dan {seconds} seconden en is gestopt.',
  'limits.xlsx.memory': 'Het lezen van het Excel-bestand had meer dan {mb} MB geheugen nodig en is gestopt.',
  'limits.csv.columns': 'De regel heeft {n} kolommen; ten hoogste {max} zijn toegestaan.',
  'limits.csv.field': 'Een veld is langer dan {max} tekens.',
  'limits.csv.rows': 'Het bestand heeft meer dan {max} regels.',
  'limits.json.bytes': 'Het JSON-bestand is groter dan {mb} MB.',
  'limits.json.depth': 'Het JSON-bestand is dieper dan {max} niveaus genest.',
  'error.length_required': 'Het verzoek zegt niet hoe groot het is; stuur het opnieuw vanuit het formulier.',
  'error.title.411': 'Lengte ontbreekt',
  'account.invite_admin_not_allowed':
    'Alleen een beheerder kan een beheerder een uitnodiging of wachtwoordlink sturen.',
  'account.invite_not_pending':
    'Deze gebruiker heeft al een wachtwoord of is gedeactiveerd; een uitnodiging kan alleen naar een openstaande uitnodiging.',
  'password.common': 'Dit wachtwoord staat in de lijst van veelgebruikte wachtwoorden; kies een ander.',
  'password.repetitive': 'Dit wachtwoord bestaat uit te weinig verschillende tekens; kies een ander.',
};
