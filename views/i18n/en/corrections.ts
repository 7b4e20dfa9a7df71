// Staff corrections of submitted answers (data editing), and what the member reads of them.
export const corrections: Record<string, string> = {
  'corrections.unknown_wave': 'Wave "{wave}" does not exist.',
  'corrections.wave_draft': 'Wave {wave} is still in preparation: there are no answers to correct.',
  'corrections.unknown_org': 'Organisation {org} has no answers in wave {wave}.',
  'corrections.not_submitted':
    'The answers of {org} are not submitted (draft): the organisation changes and submits them itself.',
  'corrections.unknown_question': 'this question does not exist in the questionnaire of this wave.',
  'corrections.duplicate': 'this question appears more than once in the correction.',
  'corrections.hidden_question': 'this question does not apply to this organisation (skipped by an earlier answer).',
  'corrections.required': 'this question is required and cannot be emptied.',
  'corrections.required_now':
    'this correction makes this required question apply: give it a value too (another --set).',
  'corrections.unchanged': 'the new value equals the current one.',
  'corrections.reason_required': 'Give a reason for the correction.',
  'corrections.reason_too_long': 'The reason is too long: at most {max} characters.',
  'corrections.nothing': 'Give at least one new value (--set KEY=VALUE).',
  'corrections.bad_set': '--set {value}: write KEY=VALUE, for example --set revenue_loss_eur=45.000.',
  'corrections.cli.failed': 'Nothing corrected:',
  'corrections.cli.done': 'Corrected: {n} answer(s) of {org} in wave {wave}.',
  'corrections.link': 'Correct',
  'corrections.title': 'Correct an answer – {org}',
  'corrections.explain':
    'You change this answer yourself; the answers stay submitted and count with the new value, also in a closed wave. The old and new value, your name and the reason go into the history, and the organisation sees the correction and the reason with its own answers. Reports of this wave are recalculated.',
  'corrections.current': 'Current answer: {value}',
  'corrections.value_label': 'New value',
  'corrections.value_hint_number': 'As in the form, for example 45.000 or € 45.000,50. Empty = no answer.',
  'corrections.no_answer': 'no answer',
  'corrections.reason_label': 'Reason (the organisation reads it)',
  'corrections.reason_hint': 'For example: called on 3 December, the amount was entered ten times too high.',
  'corrections.submit': 'Save correction',
  'corrections.done': 'Corrected: {question}.',
  'data_editing.action.response.correct': 'Corrected by the association',
  'data_editing.history.reason': 'reason: {reason}',
  'monitor.reopen_closed':
    'The wave is closed: the organisation cannot submit again, so reopening would take its answers out of the figures. Correct a value, with a reason, on the answer-checking page.',
  'monitor.reopen_to_editing': 'To the answer checks',
  'data_editing.review_closed':
    'The wave is closed: the organisation cannot submit again, so reopening would take its answers out of the figures. Correct the value here yourself, with a reason ("Correct" next to the answer).',
  'corrections.member_note': 'Corrected by the association on {date}: {before} → {after}. Reason: {reason}',
  'corrections.member_title': 'Corrections by the association',
  'comparison.too_few':
    'Once at least 10 organisations have answered, you will see here where your organisation stands in the branch.',
  'comparison.pending':
    'Your answers were submitted or changed after the latest update. Your position follows at the next update (after at least 5 new or changed answers, or after a day); until then it shows “–”.',
  'publish.revision.refused_title':
    'A new version of this address cannot be published now (compared with version {version}):',
  'publish.revision.too_few':
    'Since version {version} the answers of {n} organisation(s) changed or were added. Anyone who puts both versions side by side would see what they reported. Publish a new version only once the answers of at least {min} organisations have changed or been added.',
  'publish.revision.dominated':
    'The difference with version {version} in "{question}" comes for more than {share}% from one organisation: the two versions side by side would reveal its change. Wait until more answers have changed, or keep the earlier version.',
  'publish.revision.why':
    'A new version is compared with the answers the previous version of this address was built from, so that nobody can subtract two versions and work out one organisation’s figures.',
  'publish.revision.unchanged':
    'No answers have changed or been added since version {version}: a new version gives the same figures.',
  'publish.revision.ok':
    'Compared with version {version}: the answers of {n} organisation(s) changed or were added; the difference cannot be traced to one organisation.',
  'publish.held.title':
    'The figures of {wave} appear here as they were released (/resultaten/{slug}, version {version}), not recomputed, in the previous wave, change and trend columns:',
  'publish.held.why':
    'Since that publication answers of {wave} were corrected or added. Recomputed previous, change and trend figures could be put next to the publication and subtracted, showing what one organisation reported. Once enough answers have changed (a batch), the new figures appear by themselves.',
};
