export const analysis: Record<string, string> = {
  "report.unknown_variable": "Onbekende variabele \"{value}\"; kies uit {allowed}.",
  "report.by_is_stratifier": "--by {value} is ook een stratificatievariabele; kies voor --by een andere variabele.",
  "report.unknown_question": "Onbekende vraag \"{value}\" in deze vragenlijst.",
  "report.text_question": "Vraag \"{value}\" is een open vraag; daar worden geen schattingen voor gemaakt.",
  "report.format_not_yet": "Het formaat {value} is nog niet beschikbaar; gebruik json, csv of csv-nl.",
  "report.warning.outside_frame": "{n} ingediende reacties komen van organisaties die niet in de populatie van {year} staan; zij tellen niet mee in de schattingen.",
  "report.warning.empty_strata": "Vraag {question}: geen respondenten in {strata} ({shareN}% van de organisaties); deze strata tellen niet mee.",
  "report.warning.empty_strata_x": "Vraag {question}: geen respondenten in {strata} ({shareN}% van de organisaties, {shareX}% van {aux}); deze strata tellen niet mee.",
  "report.warning.lonely": "Vraag {question}: één respondent in {strata}; die strata dragen niet bij aan de variantie.",
  "report.warning.missing_aux": "Vraag {question}: {n} respondenten zonder {aux} in de populatie tellen niet mee in de ratioschatting.",
};
