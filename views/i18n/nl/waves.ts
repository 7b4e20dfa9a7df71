export const waves: Record<string, string> = {
  'wave.slug_invalid': 'De korte naam (slug) "{value}" mag alleen kleine letters, cijfers en streepjes bevatten, zoals "meting-2020-05".',
  'wave.slug_taken': 'Er is al een meting met de korte naam "{value}".',
  'wave.name_required': 'Geef de meting een naam.',
  'wave.year_invalid': 'Het populatiejaar moet een jaartal zijn, zoals 2019.',
  'wave.dates_order': 'De sluitingsdatum moet na de openingsdatum liggen.',
  'wave.date_invalid': '"{value}" is geen geldige datum; gebruik de vorm 2020-05-01 of 2020-05-01T09:00.',
  'wave.survey_unknown': 'Er is geen vragenlijst "{key}" {version} geladen.',
  'wave.frame_year_unknown': 'Er is geen populatie voor {year}; importeer eerst het KAnS-bestand van dat jaar.',
  'wave.not_found': 'Er is geen meting "{value}".',
};
