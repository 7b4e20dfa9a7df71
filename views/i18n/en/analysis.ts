export const analysis: Record<string, string> = {
  "report.unknown_variable": "Unknown variable \"{value}\"; choose from {allowed}.",
  "report.by_is_stratifier": "--by {value} is also a stratification variable; choose another variable for --by.",
  "report.unknown_question": "Unknown question \"{value}\" in this questionnaire.",
  "report.text_question": "Question \"{value}\" is an open question; no estimates are made for it.",
  "report.format_not_yet": "The format {value} is not available yet; use json, csv or csv-nl.",
  "report.warning.outside_frame": "{n} submitted responses come from organisations not in the {year} population; they do not count in the estimates.",
  "report.warning.empty_strata": "Question {question}: no respondents in {strata} ({shareN}% of the organisations); these strata do not count.",
  "report.warning.empty_strata_x": "Question {question}: no respondents in {strata} ({shareN}% of the organisations, {shareX}% of {aux}); these strata do not count.",
  "report.warning.lonely": "Question {question}: one respondent in {strata}; those strata add nothing to the variance.",
  "report.warning.missing_aux": "Question {question}: {n} respondents without {aux} in the population do not count in the ratio estimate.",
};
