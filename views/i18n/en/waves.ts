export const waves: Record<string, string> = {
  'wave.slug_invalid': 'The short name (slug) "{value}" may only contain lower-case letters, digits and hyphens, like "wave-2020-05".',
  'wave.slug_taken': 'There already is a wave with the short name "{value}".',
  'wave.name_required': 'Give the wave a name.',
  'wave.year_invalid': 'The frame year must be a year, like 2019.',
  'wave.dates_order': 'The closing date must be after the opening date.',
  'wave.date_invalid': '"{value}" is not a valid date; use the form 2020-05-01 or 2020-05-01T09:00.',
  'wave.survey_unknown': 'No questionnaire "{key}" {version} has been loaded.',
  'wave.frame_year_unknown': 'There is no population for {year}; import that year\'s KAnS file first.',
  'wave.not_found': 'There is no wave "{value}".',
};
