// Plausible data (issue 14.7): soft checks on the member's form, staff's data-editing page.
export const plausibility: Record<string, string> = {
  'survey.plausibility.above_frame.students':
    'This is more than the number of students of your organisation according to KAnS ({figure}).',
  'survey.plausibility.above_frame.turnover_eur':
    'This is more than the annual turnover of your organisation according to KAnS ({figure}).',
  'survey.plausibility.above_frame.subsidy_eur':
    'This is more than the subsidy of your organisation according to KAnS ({figure}).',
  'survey.plausibility.above_frame.fte': 'This is more than the FTE of your organisation according to KAnS ({figure}).',
  'survey.plausibility.above_frame.teachers_employed':
    'This is more than the number of employed teachers of your organisation according to KAnS ({figure}).',
  'survey.plausibility.above_frame.teachers_freelance':
    'This is more than the number of freelance teachers of your organisation according to KAnS ({figure}).',
  'survey.plausibility.above_previous':
    'This is more than ten times your answer in the previous wave ({wave}: {previous}).',
  'survey.plausibility.below_previous':
    'This is less than a tenth of your answer in the previous wave ({wave}: {previous}).',
  'survey.plausibility.title': 'Is this answer right?',
  'survey.plausibility.summary_title': 'Please check these answers',
  'survey.plausibility.summary_intro':
    'These answers differ a lot from what we know of your organisation. Correct the answer, or keep it and give a short reason.',
  'survey.plausibility.reason_label': 'The answer is right: short reason',
  'survey.plausibility.reason_hint':
    'For example: “merger with the music school in the next town”. Or correct the answer above.',
  'survey.plausibility.reason_too_long': 'The reason is too long: at most {max} characters.',
  'survey.plausibility.submit_blocked':
    'Please check these answers first: correct them or give a short reason at the question.',
  'survey.plausibility.check_link': 'Check',
  'survey.plausibility.confirmed': 'Your reason: {reason}',
  'survey.review_request.title': 'Request to check your answers',
  'survey.review_request.intro':
    'The branch association has reopened your submitted answers with this message ({date}):',
  'survey.review_request.outro': 'Change what is needed, then submit the answers again.',
};
