// Plausible data (issue 14.7): soft checks on the member's form, staff's data-editing page.
export const plausibility: Record<string, string> = {
  'survey.plausibility.above_frame.students':
    'Dit is meer dan het aantal leerlingen van uw organisatie volgens KAnS ({figure}).',
  'survey.plausibility.above_frame.turnover_eur':
    'Dit is meer dan de jaaromzet van uw organisatie volgens KAnS ({figure}).',
  'survey.plausibility.above_frame.subsidy_eur':
    'Dit is meer dan de subsidie van uw organisatie volgens KAnS ({figure}).',
  'survey.plausibility.above_frame.fte': 'Dit is meer dan het aantal fte van uw organisatie volgens KAnS ({figure}).',
  'survey.plausibility.above_frame.teachers_employed':
    'Dit is meer dan het aantal docenten in loondienst van uw organisatie volgens KAnS ({figure}).',
  'survey.plausibility.above_frame.teachers_freelance':
    'Dit is meer dan het aantal zzp-docenten van uw organisatie volgens KAnS ({figure}).',
  'survey.plausibility.above_previous':
    'Dit is meer dan tien keer zo veel als uw antwoord in de vorige meting ({wave}: {previous}).',
  'survey.plausibility.below_previous':
    'Dit is minder dan een tiende van uw antwoord in de vorige meting ({wave}: {previous}).',
  'survey.plausibility.title': 'Klopt dit antwoord?',
  'survey.plausibility.summary_title': 'Controleer deze antwoorden',
  'survey.plausibility.summary_intro':
    'Deze antwoorden wijken sterk af van wat we van uw organisatie weten. Pas het antwoord aan, of laat het staan en geef een korte toelichting.',
  'survey.plausibility.reason_label': 'Het antwoord klopt: korte toelichting',
  'survey.plausibility.reason_hint':
    'Bijvoorbeeld: “fusie met de muziekschool in de buurgemeente”. Of pas het antwoord hierboven aan.',
  'survey.plausibility.reason_too_long': 'De toelichting is te lang: hoogstens {max} tekens.',
  'survey.plausibility.submit_blocked':
    'Controleer eerst deze antwoorden: pas ze aan of geef bij de vraag een korte toelichting.',
  'survey.plausibility.check_link': 'Controleren',
  'survey.plausibility.confirmed': 'Uw toelichting: {reason}',
  'survey.review_request.title': 'Verzoek om uw antwoorden te controleren',
  'survey.review_request.intro':
    'De branchevereniging heeft uw ingediende antwoorden teruggezet met dit bericht ({date}):',
  'survey.review_request.outro': 'Pas aan wat nodig is en dien de antwoorden daarna opnieuw in.',
};
