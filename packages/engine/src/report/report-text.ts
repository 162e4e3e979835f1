/**
 * The words of the reports: one catalogue per locale, English complete, and the number and
 * date formatting of each locale through `Intl`. Templates take `{name}` placeholders; a key
 * ending in `.one` / `.few` / `.other` is a plural form chosen with `Intl.PluralRules`.
 *
 * Albanian (`sq`) and Serbian in Latin script (`sr-Latn`) translate the short labels: titles,
 * table headers, bands of words a reader scans. Serbian in Cyrillic script (`sr-Cyrl`) is the
 * Latin catalogue transliterated letter by letter, which is exact for Serbian. The long
 * sentences (methodology, findings, recommendations) are English in every locale until a
 * translator writes them: `missingTexts(locale)` lists them, and `kalaja report` says so.
 */
import { formatInteger, formatNumber, formatPercent, formatSigned } from '../display/numbers.js';
import { SUPPORTED_LOCALES, type Locale } from '../text.js';

const EN = {
  // Cover and frame
  'report.programme': 'Programme report',
  'report.organisation': 'Organisation report',
  'report.defaultTitle': 'Cybersecurity capacity-building programme',
  'report.confidential': 'Confidential',
  'report.confidentialNote':
    'This report describes where {organisation} is vulnerable. Share it only with the people who need it to act.',
  'report.observersEdition': 'Edition for observers: aggregates only',
  'report.observersNote':
    'Per-organisation figures are not included, and every figure computed over fewer than {k} organisations is withheld.',
  'report.programmeNote':
    'Organisations appear under pseudonyms. Keep this edition within the programme: its annex shows each organisation’s scores.',
  'report.generated': 'Generated on {date}',
  'report.page': 'Page {page} of {pages}',
  'cover.framework': 'Framework',
  'cover.rounds': 'Rounds',
  'cover.organisations': 'Organisations',
  'cover.date': 'Date',
  'cover.scale': 'Scale',
  'cover.scaleValue': '0 to {scale}',
  'cover.organisation': 'Organisation',

  // Section titles
  'section.summary': 'Summary',
  'section.methodology': 'Methodology',
  'section.findings': 'Findings by domain',
  'section.gaps': 'The most common gaps',
  'section.change': 'Change between rounds',
  'section.training': 'Training impact',
  'section.recommendations': 'Policy recommendations',
  'section.annex': 'Annex: results by organisation',
  'section.rules': 'How the recommendations were drafted',
  'section.scores': 'Scores',
  'section.domains': 'Domains',
  'section.explanations': 'What shaped each domain',
  'section.orgGaps': 'Gaps, ranked',
  'section.criticalGaps': 'Critical gaps',
  'section.notes': 'Notes from the assessment',
  'section.distribution': 'Distribution of domain scores',
  'section.evidence': 'Evidence on file',
  'section.plan': 'The plan: what was chosen and where it stands',
  'section.programmePlans': 'Interventions delivered',
  'section.unaddressed': 'Gaps no plan addresses yet',
  'section.orgChange': 'What moved between rounds',

  // Table headers and short labels
  'label.round': 'Round',
  'label.organisations': 'Organisations',
  'label.organisation': 'Organisation',
  'label.mean': 'Mean',
  'label.median': 'Median',
  'label.min': 'Lowest',
  'label.max': 'Highest',
  'label.sd': 'SD',
  'label.n': 'n',
  'label.change': 'Change',
  'label.meanChange': 'Mean change',
  'label.improved': 'Improved',
  'label.declined': 'Declined',
  'label.unchanged': 'Unchanged',
  'label.domain': 'Domain',
  'label.question': 'Question',
  'label.questions': 'Questions',
  'label.weight': 'Weight',
  'label.cap': 'Cap',
  'label.critical': 'Critical controls (cap)',
  'label.overall': 'Overall',
  'label.level': 'Band',
  'label.completeness': 'Answered',
  'label.before': 'Before',
  'label.after': 'After',
  'label.score': 'Score',
  'label.cohortMean': 'Cohort mean',
  'label.answer': 'Answer',
  'label.loss': 'Domain points lost',
  'label.gain': 'Overall gain',
  'label.quickWin': 'Quick win',
  'label.nextStep': 'Next step',
  'label.gaps': 'Gaps',
  'label.dontKnow': 'Don’t know',
  'label.note': 'Note',
  'label.rule': 'Rule',
  'label.trigger': 'When it fires',
  'label.evidence': 'Evidence',
  'label.priority': 'Priority',
  'label.priority.high': 'High priority',
  'label.priority.medium': 'Medium priority',
  'label.priority.low': 'Low priority',
  'label.session': 'Session',
  'label.sessionDate': 'Date',
  'label.participants': 'Participants',
  'label.knowledgeBefore': 'Knowledge before',
  'label.knowledgeAfter': 'Knowledge after',
  'label.strongest': 'Strongest domains',
  'label.module': 'Module',
  'label.sessions': 'Sessions',
  'label.attended': 'Attended',
  'label.registered': 'Registered',
  'label.pairs': 'Pairs',
  'label.interval': '95% interval',
  'label.confidenceBefore': 'Confidence before',
  'label.confidenceAfter': 'Confidence after',
  'label.usefulness': 'Usefulness',
  'label.relevance': 'Relevance',
  'label.respondents': 'Respondents',
  'label.practice': 'Practice',
  'label.yesShare': 'Yes',
  'label.partlyShare': 'Partly',
  'label.answered': 'Answered',
  'label.participant': 'Participant',
  'label.organisationsReached': 'Organisations reached',
  'label.knowledgeChange': 'Knowledge change',
  'label.domainsServed': 'Domains the trainings serve',
  'label.domainChange': 'Change in those domains',
  'label.no': 'no',
  'label.weakest': 'Weakest domains',
  'label.withheld': 'withheld',
  // The handbook's PDF
  'handbook.title': 'Digital Security Handbook',
  'handbook.subtitle': 'Prepare, respond, recover',
  'handbook.note':
    'Advice for civil-society organisations and independent media on preparing for, responding to and recovering from digital attacks. It is not secret: share it freely. Each section says when it was last reviewed.',
  'handbook.contents': 'Contents',
  'handbook.sections': 'Sections',
  'handbook.lastReviewed': 'Last reviewed',
  'handbook.reviewed': 'Last reviewed on {date}',
  'handbook.part.prepare': 'Prepare',
  'handbook.part.respond': 'Respond',
  'handbook.part.recover': 'Recover',
  'label.capped': 'capped',
  'label.range': 'Range',
  'label.legend': 'Domains',
  'label.yes': 'yes',
  'label.of': 'of {scale}',
  'label.cohort': 'cohort',
  'label.notApplicable': 'Not applicable',
  'label.unanswered': 'Unanswered',
  'label.file': 'File',
  'label.supports': 'Supports',
  'label.attached': 'Attached',
  'label.writtenBy': 'Written by',
  'label.byOrganisation': 'Organisation',
  'label.byAssessor': 'Assessor',
  'label.item': 'Item',
  'label.kind': 'Kind',
  'label.status': 'Status',
  'label.due': 'Due',
  'label.doneOn': 'Done on',
  'label.why': 'Why',
  'label.kind.policy': 'Policy',
  'label.kind.technical': 'Technical',
  'label.kind.training': 'Training',
  'label.status.planned': 'Planned',
  'label.status.in_progress': 'In progress',
  'label.status.done': 'Done',
  'label.status.dropped': 'Dropped',
  'label.overdue': 'overdue',
  'label.withoutPlan': 'Organisations without an item for it',
  'label.organisationsDone': 'Organisations with one done',

  // Plurals
  'count.organisations.one': '{n} organisation',
  'count.organisations.other': '{n} organisations',
  'count.questions.one': '{n} question',
  'count.questions.other': '{n} questions',
  'count.domains.one': '{n} domain',
  'count.domains.other': '{n} domains',
  'count.sessions.one': '{n} session',
  'count.sessions.other': '{n} sessions',
  'count.participants.one': '{n} participant',
  'count.participants.other': '{n} participants',
  'count.modules.one': '{n} module',
  'count.modules.other': '{n} modules',

  // Summary
  // Sentences with a count take the plural form its number asks for (`plural`): the verb
  // agrees with the organisations in "was / were assessed", the noun with the total in "1 of 1 organisation".
  'summary.lead.one':
    '{organisations} took part in the programme and was assessed with the framework “{framework}”: {questions} in {domains}, each domain scored from 0 to {scale}.',
  'summary.lead.other':
    '{organisations} took part in the programme and were assessed with the framework “{framework}”: {questions} in {domains}, each domain scored from 0 to {scale}.',
  'summary.round': 'At {round}, the cohort mean was {mean} (median {median}; lowest {min}, highest {max}; {n}).',
  'summary.roundWithheld.one': 'At {round}, {n} was assessed: too few for cohort figures in this edition.',
  'summary.roundWithheld.other': 'At {round}, {n} were assessed: too few for cohort figures in this edition.',
  'summary.change':
    'Between {from} and {to}, the {n} assessed in both rounds changed by {mean} on average: {improved} improved, {declined} declined and {unchanged} stayed the same.',
  'summary.changeWithheld.one':
    'Between {from} and {to}, {n} was assessed in both rounds: too few for figures on change in this edition.',
  'summary.changeWithheld.other':
    'Between {from} and {to}, {n} were assessed in both rounds: too few for figures on change in this edition.',
  'summary.extremes':
    'At {round}, the strongest domain was {strong} ({strongMean}) and the weakest {weak} ({weakMean}).',
  'summary.topGap.one':
    'The most common gap at {round}: {count} of {of} organisation gave a low answer, or “Don’t know”, to “{question}”',
  'summary.topGap.other':
    'The most common gap at {round}: {count} of {of} organisations gave a low answer, or “Don’t know”, to “{question}”',
  'summary.recommendations.one': 'The report closes with {n} policy recommendation, each drawn from these findings.',
  'summary.recommendations.other': 'The report closes with {n} policy recommendations, each drawn from these findings.',

  // Methodology
  'method.framework':
    'Each organisation was assessed with the framework “{framework}”, version {version}: {questions} in {domains}. Every question offers a few observable states, from absent to fully in place, each worth between 0 and 1. “Don’t know” counts as 0, because a control nobody can vouch for is an unreliable one.',
  'method.domain':
    'A domain’s score is {scale} times the weighted average of its answered questions. Questions answered “not applicable”, and questions left unanswered, are left out rather than counted as 0. A few critical controls cap their domain: when one of them is missing, the domain scores at most the cap, however good the rest is. An organisation’s overall score is the weighted average of its domain scores.',
  'method.cohort':
    'For each round, the cohort figures are the mean, the median, the lowest and the highest of the organisations’ scores. The change between two rounds is the average of each organisation’s own change, over the organisations assessed in both; an organisation counts as improved or declined when its score moved by at least 0.005. Cohort figures are shown with two decimals and an organisation’s with one, rounded half up; every calculation uses the exact values.',
  'method.gaps':
    'A gap is an answer worth 0.25 or less, or “Don’t know”. Counts of gaps are over the organisations that answered the question; not applicable and unanswered questions are left out.',
  'method.rounds': 'Rounds, in the order they were held: {rounds}.',
  'method.levels': 'Scores fall into bands that describe maturity in plain words: {levels}.',
  'method.observers':
    'In this edition for observers, per-organisation figures are left out and any figure computed over fewer than {k} organisations is withheld and marked as such.',
  'method.published':
    'Its figures are the versions the programme’s managers published to observers, frozen and never recomputed: {versions}.',
  'method.publishedItem': '{round}, published version {version} of {date}',
  'method.recommendations':
    'The recommendations were drafted by explicit rules from the findings, listed at the end of this report with their thresholds, and then reviewed by the programme team.',
  'method.recUnchanged': 'The team kept every drafted recommendation as it was drafted.',
  'method.recReviewed':
    'Of the drafted recommendations the team edited {edited} and dropped {dropped}, and it added {added} of its own; each edited or added recommendation is marked as such.',
  'method.caps': 'Critical controls that cap their domain: {controls}.',

  // Findings
  'findings.intro':
    'Domain scores per round: the mean, the median, and the range from the lowest to the highest organisation.',
  'findings.extremes':
    'At {round}, the strongest domains were {strong}; the weakest were {weak}. The weakest domains are where the next cycle of support will do the most.',
  'findings.gapsIntro':
    'Questions most often answered with a low-scoring option (0.25 or less) or “Don’t know” at {round}, with the count at {first} beside it.',
  'findings.gapCount': '{count} of {of}',
  'findings.criticalLegend': '* A critical control: when it is missing, its domain score is capped.',
  'org.cappingLegend': '* This answer caps its domain: the domain cannot score higher until it is in place.',
  'findings.noGaps': 'No question was answered low by any organisation.',
  'findings.chartCaption':
    'Mean score per domain at {round}, with the range from the lowest to the highest organisation.',

  // Change
  'change.intro':
    'The change between {from} and {to}, per domain, over the {n} assessed in both rounds. Before and after are the cohort means of each round; the change is the average of each organisation’s own change.',
  'change.chartCaption': 'Cohort mean per domain, {from} and {to}.',
  'change.single': 'Only one round has been assessed so far; the change will show once a reassessment is recorded.',
  'change.plain.one': '{improved} of {n} organisation improved; the mean change was {mean}{interval}.',
  'change.plain.other': '{improved} of {n} organisations improved; the mean change was {mean}{interval}.',
  'change.interval': ' (95% interval {low} to {high})',
  'change.wilcoxon.one':
    'Wilcoxon signed-rank test over the {n} organisation whose score moved: p = {p}; rank-biserial correlation {r}.',
  'change.wilcoxon.other':
    'Wilcoxon signed-rank test over the {n} organisations whose score moved: p = {p}; rank-biserial correlation {r}.',
  'change.exact':
    'With {n} changed pairs or fewer, the p-value is exact: it counts every way the same changes could have fallen up or down by chance.',
  'change.approximate':
    'With more than {n} changed pairs, the p-value uses the normal approximation of the test, corrected for ties.',
  'change.noTest': 'No organisation’s overall score moved, so there is no signed-rank test.',
  'change.validatedOnly':
    'These figures rest on the assessments validated in both rounds, {n} in all: the assessor checked each of them.',
  'change.provisional.one':
    '{count} organisation with a result in both rounds is left out: its assessment is not validated in both rounds yet.',
  'change.provisional.other':
    '{count} organisations with a result in both rounds are left out: their assessments are not validated in both rounds yet.',
  'change.limits': 'What these figures can and cannot show:',
  'change.limitControl':
    'There is no control group. The change happened during the programme, but it may have other causes too; these figures do not show that the programme caused it.',
  'change.limitSelected':
    'The cohort was selected, not drawn at random. The figures describe these organisations and do not generalise to others.',
  'change.limitSmallest': 'With {n} changed pairs, the smallest p the test can reach is {p}.',
  'change.limitImpossible':
    'With {n} changed pairs, the smallest p the test can reach is {p}, so p below 0.05 was impossible whatever happened.',
  'change.pBelow': '< 0.001',

  // Training (docs/contracts.md, 8): knowledge on 0–100, confidence and reaction on 1–5
  'training.none':
    'No trainings have been recorded yet. Once sessions are recorded with their attendance and knowledge checks before and after, this section shows who was reached and what participants learned.',
  'training.delivered.one':
    '{sessions} of {modules} reached {participants} from {reached} of the {organisations} in the cohort.',
  'training.delivered.other':
    '{sessions} of {modules} reached {participants} from {reached} of the {organisations} in the cohort.',
  'training.registered': '{attended} of the {registered} participants registered attended.',
  'training.learned.one':
    '{pairs} took the knowledge check before and after the training and scored {pre} before and {post} after, out of 100: a change of {mean} points{interval}; {improved} of {n} scored higher after.',
  'training.learned.other':
    '{pairs} took the knowledge check before and after the training and scored {pre} before and {post} after on average, out of 100: a mean change of {mean} points{interval}; {improved} of the {n} scored higher after.',
  'training.interval': ' (95% interval {low} to {high})',
  'training.wilcoxon.one':
    'Wilcoxon signed-rank test over the {n} participant whose score moved: {p}; rank-biserial correlation {r}.',
  'training.wilcoxon.other':
    'Wilcoxon signed-rank test over the {n} participants whose score moved: {p}; rank-biserial correlation {r}.',
  'training.learnedWithheld.one':
    '{n} participant took both knowledge checks: fewer than {k}, too few for figures in this edition.',
  'training.learnedWithheld.other':
    '{n} participants took both knowledge checks: fewer than {k}, too few for figures in this edition.',
  'training.noChecks':
    'No participant has taken both knowledge checks yet, so there is no figure on what they learned.',
  'training.confidence.one':
    'Confidence, as participants rated it themselves from 1 to 5, went from {pre} before to {post} after ({n} participant with both ratings).',
  'training.confidence.other':
    'Confidence, as participants rated it themselves from 1 to 5, went from {pre} before to {post} after on average ({n} participants with both ratings).',
  'training.reaction.one':
    'In the reaction survey, {n} participant rated the training {usefulness} for usefulness and {relevance} for relevance to their work, from 1 to 5.',
  'training.reaction.other':
    'In the reaction survey, {n} participants rated the training {usefulness} for usefulness and {relevance} for relevance to their work, from 1 to 5, on average.',
  'training.followUp':
    '{title}, after {days} days: {responded} of the {asked} participants asked answered the follow-up. Asked whether they had put each practice to use, they said: {items}.',
  'training.followUpItem': '“{text}”, {yes} yes and {partly} partly',
  'training.followUpWithheld':
    '{title}, after {days} days: {responded} of the {asked} participants asked answered the follow-up, too few for figures in this edition.',
  'training.followUpNone':
    '{title}, after {days} days: {responded} of the {asked} participants asked answered the follow-up; no practice was answered.',
  'training.noFollowUp':
    'No follow-up check has been recorded yet: what participants put into practice shows here once one is run.',
  'training.withheld': 'Figures over fewer than {k} participants are withheld in this edition.',
  'training.limitSelected':
    'The participants were not drawn at random: they chose to come, or their organisations chose them, and those who took both checks may differ from those who did not.',
  'training.limitItems':
    'The same items were asked before and after, so part of the change may come from knowing the questions rather than from learning.',
  'training.limitControl':
    'There is no control group: nobody comparable took the checks without the training, so these figures show what participants knew after it, not that the training alone made the difference.',
  'training.limitSmallest': 'With {n} changed pairs, the smallest p the test can reach is {p}.',
  'training.limitImpossible':
    'With {n} changed pairs, the smallest p the test can reach is {p}, so p below 0.05 was impossible whatever happened.',
  'training.sessionsTitle': 'Sessions and attendance',
  'training.knowledgeTitle': 'Knowledge before and after (0 to 100)',
  'training.ratingsTitle': 'Confidence and reaction (1 to 5)',
  'training.modulesTitle': 'By module, over all its sessions',
  'training.followUpTitle': 'Put into practice',
  'training.followUpHeading': '{title}, after {days} days: {responded} of {asked} answered',
  'training.attendedOf': '{attended} of {registered}',
  'training.reachedOf': '{reached} of {cohort}',
  'training.range': '{low} to {high}',
  'section.trainingOrganisations': 'Trainings beside each organisation’s change',
  'training.orgIntro':
    'For each organisation, under its pseudonym in the annex: the participants it sent, their mean knowledge change, and the organisation’s own mean change between {from} and {to} in the domains its trainings serve.',
  'training.orgIntroSingle':
    'For each organisation, under its pseudonym in the annex: the participants it sent and their mean knowledge change.',
  'training.orgSingleRound':
    'The organisations’ change in the domains the trainings serve shows here once a reassessment is recorded.',
  'training.associationPositive':
    'Across the {n} organisations with both figures, those whose staff gained more in the knowledge checks also improved more in these domains (rank correlation {rho}). This shows association, not effect: organisations already improving may also send more engaged staff, and both may have other causes.',
  'training.associationNegative':
    'Across the {n} organisations with both figures, those whose staff gained more in the knowledge checks improved less in these domains (rank correlation {rho}). This shows association, not effect: the two may have causes of their own.',
  'training.associationWeak':
    'Across the {n} organisations with both figures, the knowledge gain of their staff and their change in these domains show no clear pattern (rank correlation {rho}). Even a clear one would show association, not effect.',
  'training.associationFew':
    'Fewer than {min} organisations have both figures: too few to look for a pattern between what their staff learned and how they changed.',

  // Recommendations
  'rec.intro':
    'Each recommendation below was drafted by a documented rule from the findings and carries its evidence, unless it is marked as added by the programme team; those the team edited are marked too.',
  'rec.edited': 'edited by the programme team',
  'rec.added': 'Added by the programme team',
  'rec.none': 'No rule fired on these findings: no recommendation was drafted.',
  'rec.critical.title': 'Close a critical gap: {control}',
  'rec.critical.text.one':
    '{count} of {of} organisation {missing} at {round}{unknown}. This control caps the {domain} score at {cap} of {scale} whenever it is missing, so no amount of work elsewhere in the domain makes up for it. Support should go first to {remedy}.',
  'rec.critical.text.other':
    '{count} of {of} organisations {missing} at {round}{unknown}. This control caps the {domain} score at {cap} of {scale} whenever it is missing, so no amount of work elsewhere in the domain makes up for it. Support should go first to {remedy}.',
  'rec.critical.unknown': ' (including {n} who did not know)',
  'rec.critical.missingGeneric': 'answered “{option}” to “{question}”',
  'rec.critical.remedyGeneric': 'putting this control in place',
  'rec.weakest.title': 'Make {domain} the focus of the next cycle',
  'rec.weakest.text':
    '{domain} is the weakest domain: a cohort mean of {mean} of {scale} at {round}, against {overall} overall. The next cycle of support should start there, with its most common gaps: {gaps}.',
  'rec.unknown.title': 'Help organisations know their own setup',
  'rec.unknown.text':
    '{share} of the answers at {round} were “Don’t know” ({count} of {answers}){domains}. A control that nobody can vouch for is an unreliable one. Assessments should include a guided check with each organisation — an inventory of accounts, devices and backups — so that the answers, and the organisation itself, rest on facts.',
  'rec.unknown.domains': ', most of all in {domains}',
  'rec.declined.title': 'Protect the gains when people leave',
  'rec.declined.text.one':
    '{declined} of {n} organisation scored lower at {to} than at {from}. Security in small organisations often rests on one or two people; support should include handover notes, a deputy for the security focal point, and a follow-up visit after staff changes.',
  'rec.declined.text.other':
    '{declined} of {n} organisations scored lower at {to} than at {from}. Security in small organisations often rests on one or two people; support should include handover notes, a deputy for the security focal point, and a follow-up visit after staff changes.',
  'rec.stalled.title': 'Address the domains that did not move',
  'rec.stalled.text':
    '{domains} moved by less than {threshold} on average between {from} and {to}. These were not reached by this cycle’s support and should be planned into the next, with interventions and training designed for them.',

  // Rules (documentation shown with the recommendations)
  'rule.critical-control':
    'For each critical control (a question that caps its domain): fires when at least {threshold} of the organisations that answered it in the latest round scored 0 on it (missing or “Don’t know”).',
  'rule.weakest-domain':
    'Fires for the domain with the lowest cohort mean in the latest round when that mean is below {threshold} of the scale.',
  'rule.unknown-answers':
    'Fires when at least {overall} of all answers in the latest round are “Don’t know”, or at least {domain} in some domain.',
  'rule.declined':
    'Fires when at least one organisation’s overall score declined between the last two rounds (a fall of 0.005 or more).',
  'rule.stalled-domains':
    'Fires when one or more domains changed by less than {threshold} on average between the last two rounds while the overall score rose.',

  // Annex
  'annex.intro':
    'Overall score, band and share of questions answered for each organisation, under pseudonyms given in order of first appearance in the answers.',
  'annex.domainsIntro': 'Domain scores at {round}. Columns follow the domains in the order of the framework:',
  'annex.observers': 'Per-organisation results are not part of the edition for observers.',

  // Organisation report
  'org.lead':
    '{organisation} was assessed with the framework “{framework}”: {questions} in {domains}, each domain scored from 0 to {scale}.',
  'org.round':
    'At {round}, the overall score was {overall} of {scale} ({level}), with {completeness} of the questions answered.',
  'org.change': 'From {from} to {to}, the overall score changed by {change}.',
  'org.changeIntro':
    'From {from} to {to}: each domain before and after, the questions answered better and worse, and what was done in between.',
  'org.changeOverall': 'Overall, from {before} to {after} ({change}).',
  'org.movedUp': 'Answered better',
  'org.movedDown': 'Answered worse',
  'org.moveItem': '“{question}”: {from} → {to}',
  'org.noMoves': 'No answer in this domain moved to a better or a worse option.',
  'org.planItems': 'Plan items completed in between',
  'org.planItem': '{title} (done {date})',
  'org.accountAssessor': 'What the assessor observed',
  'org.accountOrganisation': 'In the organisation’s own words',
  'org.domainsIntro':
    'Domain scores per round, with the cohort mean at {round} for reference where the cohort is large enough ({k} organisations or more).',
  'org.explainIntro': 'For each domain at {round}: the answers that cost the most points, and any cap that applied.',
  'org.capApplied':
    'Capped at {cap}: {questions} is at or below the step the framework sets as critical, and the domain cannot score higher until it is in place (it would otherwise score {uncapped}).',
  'org.pulledDown': 'Pulled down most by: {items}.',
  'org.noLoss': 'Every answered question is at its best option.',
  'org.noAnswers': 'No applicable question was answered.',
  'org.gapsIntro':
    'Each answer below its best option at {round}, ranked by how much the overall score would rise if it were fully in place. A quick win is a gap where one step up, to the next better option, already gains at least half of that.',
  'org.moreGaps.one': '{n} smaller gap follows the ones listed here; it gains less than those above.',
  'org.moreGaps.other': '{n} smaller gaps follow the ones listed here; each gains less than those above.',
  'org.noGaps': 'No gaps: every answered question is at its best option.',
  'org.criticalIntro':
    'Controls the framework treats as critical, answered at or below the step where they cap their domain at {round}. Each holds its domain down whatever else is in place, so each comes first in a plan.',
  'org.noCritical': 'No critical gaps at {round}: every critical control answered is above its cap.',
  'org.criticalItem': '{domain}: “{question}” — {answer}; caps the domain at {cap}.',
  'org.notesIntro':
    'Notes written with the answers, as given: the organisation’s own, and the assessor’s where they validated an answer with a note.',
  'org.noNotes': 'No notes were written with the answers.',
  'org.evidenceIntro':
    'Files attached to the assessment as evidence, with the question or domain each supports and the day it was attached. The files themselves stay in Kalaja.',
  'org.noEvidence': 'No files were attached to the assessment as evidence.',
  'org.evidenceDomain': '{domain} (the domain as a whole)',
  'org.evidenceWhole': 'The assessment as a whole',
  'section.orgTrainings': 'Trainings',
  'org.trainingsIntro':
    'The trainings your people were registered for: who attended, and their knowledge-check scores before and after, from 0 to 100. Only your organisation’s own report shows these names.',

  // Technical findings (docs/contracts.md, 14)
  'section.technicalFindings': 'Technical findings',
  'technical.intro':
    'What the assessors found when they tested the organisation’s website, mail, accounts, devices, network and premises, reviewed by a senior assessor: most severe first, with what to do about each and its retest.',
  'technical.none': 'No technical findings have been approved for this organisation.',
  'technical.summary.one': '{n} finding: {parts}.',
  'technical.summary.other': '{n} findings: {parts}.',
  'technical.retest': 'Retested on {date}: {outcome}. {notes}',
  'technical.programmeIntro':
    'The approved technical findings across the cohort, by severity, by what was tested and by where they stand, and how long a fix took from the day a finding was made to the retest that found it fixed.',
  'technical.medianDays': 'Median time from finding to fix: {days} days.',
  'technical.noFix': 'No finding has been retested as fixed yet.',
  'label.finding': 'Finding',
  'label.severity': 'Severity',
  'label.target': 'What was tested',
  'label.retest': 'Retest',
  'label.findings': 'Findings',
  'label.severity.critical': 'Critical',
  'label.severity.high': 'High',
  'label.severity.medium': 'Medium',
  'label.severity.low': 'Low',
  'label.severity.info': 'Information',
  'label.target.website': 'Website',
  'label.target.mail-domain': 'Mail domain',
  'label.target.account': 'Account',
  'label.target.device': 'Device',
  'label.target.network': 'Network',
  'label.target.physical': 'Premises',
  'label.findingStatus.approved': 'Open',
  'label.findingStatus.fixed': 'Fixed',
  'label.findingStatus.partly_fixed': 'Partly fixed',
  'label.findingStatus.accepted_risk': 'Risk accepted',

  // Plans (docs/contracts.md, 7)
  'plan.intro':
    'The interventions chosen with {organisation} from its results, each for the gaps of one round: why each was chosen, where it stands, and what shows it was done.',
  'plan.none': 'No plan has been recorded for this organisation yet.',
  'plan.summary.one': '{n} item: {done} done, {inProgress} in progress, {planned} planned and {dropped} dropped.',
  'plan.summary.other': '{n} items: {done} done, {inProgress} in progress, {planned} planned and {dropped} dropped.',
  'plan.overdue.one': '{n} open item is past its due date.',
  'plan.overdue.other': '{n} open items are past their due date.',
  'plan.why': 'For the gaps of {round}: raises {questions}; {gain} overall.',
  'plan.whyChosen': 'Chosen for {round}; its questions were not below their best there.',
  'plan.whyOwn': 'The team’s own item, for {round}.',
  'plan.dropped': 'Dropped: {reason}',
  'plan.evidence.one': '{n} file',
  'plan.evidence.other': '{n} files',
  'plans.intro':
    'What the organisations’ plans hold across the cohort: the interventions done and under way, by kind and by the domains they strengthen, and the gaps that no plan addresses yet.',
  'plans.none': 'No organisation’s plan has been recorded yet.',
  'plans.lead.one':
    '{n} organisation has a plan: {items} items in all, {done} of them done ({share}), {inProgress} in progress and {dropped} dropped.',
  'plans.lead.other':
    '{n} organisations have a plan: {items} items in all, {done} of them done ({share}), {inProgress} in progress and {dropped} dropped.',
  'plans.byDomainIntro':
    'An intervention strengthens the domains of the questions that name it; an item counts once in each of them.',
  'plans.unaddressedIntro':
    'Questions organisations still answer below their best at their latest round while their plan holds no intervention for them (a dropped item does not count), most organisations first. These are the gaps to plan for next.',
  'plans.allAddressed': 'Every gap the catalogue can address has an intervention in the organisation’s plan.',
  'org.chartCaption': 'Domain scores per round (0 to {scale}).',
  'org.lossItem': '{question} ({answer}, -{loss})',

  // Critical controls of the default framework (cso-media), by question id: a short name, what
  // a missing control looks like, and the first remedy. Other frameworks get the generic form.
  // What is missing is said in the past tense ("1 of 3 organisations did not have"), which
  // agrees with one organisation as with many.
  'control.access.mfa-email.name': 'two-step login on work email',
  'control.access.mfa-email.missing': 'did not have two-step login on every work email account',
  'control.access.mfa-email.remedy':
    'turning on two-step login for every work email account, with hands-on help and security keys for the most exposed staff',
  'control.devices.disk-encryption.name': 'encrypted computers',
  'control.devices.disk-encryption.missing': 'had work computers whose drives were not encrypted',
  'control.devices.disk-encryption.remedy':
    'turning on full-disk encryption on every work computer, and replacing machines that cannot support it',
  'control.updates.supported-systems.name': 'supported systems',
  'control.updates.supported-systems.missing': 'used computers or phones that no longer received security updates',
  'control.updates.supported-systems.remedy':
    'replacing unsupported systems, with a small hardware fund where budgets cannot stretch',
  'control.backup.offline-copy.name': 'an offline backup',
  'control.backup.offline-copy.missing': 'kept no backup copy offline or out of reach of their everyday accounts',
  'control.backup.offline-copy.remedy': 'an offline or tamper-proof backup copy, and a restore that has been tested',
  'control.network.encrypted-messaging.name': 'end-to-end encrypted messaging',
  'control.network.encrypted-messaging.missing':
    'did not use end-to-end encrypted messaging for sensitive conversations',
  'control.network.encrypted-messaging.remedy':
    'agreeing on an end-to-end encrypted messenger for sensitive work and setting it up with every member of staff',
  'control.incident.response-plan.name': 'an incident response plan',
  'control.incident.response-plan.missing': 'had no written incident response plan',
  'control.incident.response-plan.remedy':
    'a short written incident response plan with named contacts and a helpline, practised once a year',
  'control.disinfo.harassment-protocol.name': 'a protocol for online harassment',
  'control.disinfo.harassment-protocol.missing': 'had no protocol for supporting staff who were harassed online',
  'control.disinfo.harassment-protocol.remedy':
    'a protocol for supporting staff who are harassed online, with documentation and escalation to the platforms',

  // Fallback texts
  'text.none': 'none',
  'text.and': 'and',
} as const;

export type TextKey = keyof typeof EN;
/** A catalogue: some of the English keys, plus `.few` plural forms where the language has them. */
export type Catalogue = Readonly<Partial<Record<TextKey | `${string}.few`, string>>>;

/** Albanian: the short labels. */
const SQ: Catalogue = {
  'report.programme': 'Raporti i programit',
  'report.organisation': 'Raporti i organizatës',
  'report.confidential': 'Konfidenciale',
  'cover.framework': 'Korniza',
  'cover.rounds': 'Raundet',
  'cover.organisations': 'Organizatat',
  'cover.date': 'Data',
  'cover.scale': 'Shkalla',
  'cover.scaleValue': '0 deri në {scale}',
  'cover.organisation': 'Organizata',
  'section.summary': 'Përmbledhje',
  'section.methodology': 'Metodologjia',
  'section.findings': 'Gjetjet sipas fushave',
  'section.gaps': 'Mangësitë më të shpeshta',
  'section.change': 'Ndryshimi ndërmjet raundeve',
  'section.training': 'Ndikimi i trajnimeve',
  'section.recommendations': 'Rekomandime për politikat',
  'section.annex': 'Shtojcë: rezultatet sipas organizatave',
  'section.scores': 'Pikët',
  'section.domains': 'Fushat',
  'section.notes': 'Shënime nga vlerësimi',
  'label.round': 'Raundi',
  'label.organisations': 'Organizatat',
  'label.organisation': 'Organizata',
  'label.mean': 'Mesatarja',
  'label.median': 'Mediana',
  'label.min': 'Më e ulëta',
  'label.max': 'Më e larta',
  'label.change': 'Ndryshimi',
  'label.meanChange': 'Ndryshimi mesatar',
  'label.improved': 'Përmirësuar',
  'label.declined': 'Përkeqësuar',
  'label.unchanged': 'Pa ndryshim',
  'label.domain': 'Fusha',
  'label.question': 'Pyetja',
  'label.questions': 'Pyetjet',
  'label.weight': 'Pesha',
  'label.overall': 'Gjithsej',
  'label.level': 'Niveli',
  'label.completeness': 'Përgjigjur',
  'label.before': 'Para',
  'label.after': 'Pas',
  'label.score': 'Pikët',
  'label.answer': 'Përgjigjja',
  'label.dontKnow': 'Nuk e di',
  'label.note': 'Shënim',
  'label.participants': 'Pjesëmarrës',
  'label.withheld': 'e fshehur',
  'handbook.title': 'Doracak i sigurisë digjitale',
  'handbook.subtitle': 'Përgatitja, reagimi, rimëkëmbja',
  'handbook.contents': 'Përmbajtja',
  'handbook.sections': 'Seksione',
  'handbook.lastReviewed': 'Rishikuar së fundi',
  'handbook.reviewed': 'Rishikuar së fundi më {date}',
  'handbook.part.prepare': 'Përgatitja',
  'handbook.part.respond': 'Reagimi',
  'handbook.part.recover': 'Rimëkëmbja',
  'label.yes': 'po',
  'count.organisations.one': '{n} organizatë',
  'count.organisations.other': '{n} organizata',
  'count.questions.one': '{n} pyetje',
  'count.questions.other': '{n} pyetje',
  'count.domains.one': '{n} fushë',
  'count.domains.other': '{n} fusha',
  'report.defaultTitle': 'Programi i ngritjes së kapaciteteve në sigurinë kibernetike',
  'report.page': 'Faqja {page} nga {pages}',
  'report.generated': 'Krijuar më {date}',
  'label.cohortMean': 'Mesatarja e grupit',
  'label.sd': 'DS',
  'label.range': 'Shtrirja',
  'label.loss': 'Pikë të humbura në fushë',
  'label.gain': 'Fitimi i përgjithshëm',
  'label.quickWin': 'Fitore e shpejtë',
  'label.rule': 'Rregulla',
  'rec.edited': 'redaktuar nga ekipi i programit',
  'rec.added': 'Shtuar nga ekipi i programit',
  'label.priority.high': 'Përparësi e lartë',
  'label.priority.medium': 'Përparësi mesatare',
  'label.priority.low': 'Përparësi e ulët',
  'label.critical': 'Kontrollet kritike (kufiri)',
  'label.cap': 'Kufiri',
  'label.capped': 'e kufizuar',
  'label.session': 'Sesioni',
  'label.sessionDate': 'Data',
  'label.knowledgeBefore': 'Njohuritë para',
  'label.knowledgeAfter': 'Njohuritë pas',
  'label.strongest': 'Fushat më të forta',
  'label.weakest': 'Fushat më të dobëta',
  'label.notApplicable': 'Nuk aplikohet',
  'label.unanswered': 'Pa përgjigje',
  'section.rules': 'Si u hartuan rekomandimet',
  'section.explanations': 'Çfarë ndikoi në secilën fushë',
  'section.orgGaps': 'Mangësitë, të renditura',
  'section.criticalGaps': 'Mangësitë kritike',
  'section.distribution': 'Shpërndarja e pikëve sipas fushave',
  'section.evidence': 'Dëshmitë e bashkëngjitura',
  'section.plan': 'Plani: çfarë u zgjodh dhe ku qëndron',
  'section.programmePlans': 'Ndërhyrjet e realizuara',
  'section.unaddressed': 'Mangësi që asnjë plan nuk i trajton ende',
  'summary.lead.one':
    '{organisations} mori pjesë në program dhe u vlerësua me kornizën „{framework}“ ({questions}, {domains}); çdo fushë merr pikë nga 0 deri në {scale}.',
  'summary.lead.other':
    '{organisations} morën pjesë në program dhe u vlerësuan me kornizën „{framework}“ ({questions}, {domains}); çdo fushë merr pikë nga 0 deri në {scale}.',
  'summary.roundWithheld.one': 'Në raundin {round} u vlerësua {n}: shumë pak për shifrat e grupit në këtë botim.',
  'summary.roundWithheld.other': 'Në raundin {round} u vlerësuan {n}: shumë pak për shifrat e grupit në këtë botim.',
  'summary.changeWithheld.one':
    'Ndërmjet raundeve {from} dhe {to}, në të dy raundet u vlerësua {n}: shumë pak për shifrat e ndryshimit në këtë botim.',
  'summary.changeWithheld.other':
    'Ndërmjet raundeve {from} dhe {to}, në të dy raundet u vlerësuan {n}: shumë pak për shifrat e ndryshimit në këtë botim.',
  'summary.topGap.one':
    'Mangësia më e shpeshtë në raundin {round}: përgjigje e ulët ose „Nuk e di“ për „{question}“ ({count} nga {of} organizatë)',
  'summary.topGap.other':
    'Mangësia më e shpeshtë në raundin {round}: përgjigje e ulët ose „Nuk e di“ për „{question}“ ({count} nga {of} organizata)',
  'org.moreGaps.one':
    'Pas atyre të renditura këtu vjen edhe {n} mangësi më e vogël, që sjell më pak pikë se ato më sipër.',
  'org.moreGaps.other':
    'Pas atyre të renditura këtu vijnë edhe {n} mangësi më të vogla; secila sjell më pak pikë se ato më sipër.',
  'label.file': 'Skedari',
  'label.supports': 'Mbështet',
  'label.attached': 'Bashkëngjitur',
  'label.writtenBy': 'Autori',
  'label.byOrganisation': 'Organizata',
  'label.byAssessor': 'Vlerësuesi',
  'label.item': 'Detyra',
  'label.kind': 'Lloji',
  'label.status': 'Gjendja',
  'label.due': 'Afati',
  'label.doneOn': 'Kryer më',
  'label.why': 'Pse',
  'label.kind.policy': 'Politikë',
  'label.kind.technical': 'Teknike',
  'label.kind.training': 'Trajnim',
  'label.status.planned': 'E planifikuar',
  'label.status.in_progress': 'Në punë',
  'section.technicalFindings': 'Gjetjet teknike',
  'technical.intro':
    'Çfarë gjetën vlerësuesit kur testuan faqen e internetit, postën, llogaritë, pajisjet, rrjetin dhe ambientet e organizatës, të shqyrtuara nga një vlerësues i lartë: më të rëndat së pari, me çfarë duhet bërë për secilën dhe ritestimin e saj.',
  'technical.none': 'Asnjë gjetje teknike nuk është miratuar për këtë organizatë.',
  'technical.summary.one': '{n} gjetje: {parts}.',
  'technical.summary.other': '{n} gjetje: {parts}.',
  'technical.retest': 'Ritestuar më {date}: {outcome}. {notes}',
  'label.finding': 'Gjetja',
  'label.severity': 'Rëndësia',
  'label.target': 'Çfarë u testua',
  'label.retest': 'Ritestimi',
  'label.severity.critical': 'Kritike',
  'label.severity.high': 'E lartë',
  'label.severity.medium': 'Mesatare',
  'label.severity.low': 'E ulët',
  'label.severity.info': 'Informacion',
  'label.target.website': 'Faqja e internetit',
  'label.target.mail-domain': 'Domeni i postës',
  'label.target.account': 'Llogaria',
  'label.target.device': 'Pajisja',
  'label.target.network': 'Rrjeti',
  'label.target.physical': 'Ambientet',
  'label.findingStatus.approved': 'E hapur',
  'label.findingStatus.fixed': 'E rregulluar',
  'label.findingStatus.partly_fixed': 'Pjesërisht e rregulluar',
  'label.findingStatus.accepted_risk': 'Rrezik i pranuar',
  'technical.programmeIntro':
    'Gjetjet teknike të miratuara në të gjithë grupin, sipas rëndësisë, sipas asaj që u testua dhe sipas gjendjes, dhe sa zgjati rregullimi nga dita e gjetjes deri te ritestimi që e gjeti të rregulluar.',
  'technical.medianDays': 'Koha mesatare (mediana) nga gjetja deri te rregullimi: {days} ditë.',
  'technical.noFix': 'Asnjë gjetje nuk është ritestuar ende si e rregulluar.',
  'label.status.done': 'E kryer',
  'label.status.dropped': 'E hequr',
  'label.overdue': 'me vonesë',
  'org.notesIntro':
    'Shënimet e shkruara me përgjigjet, ashtu siç u dhanë: ato të vetë organizatës dhe ato të vlerësuesit, kur vërtetoi një përgjigje me shënim.',
  'org.noNotes': 'Asnjë shënim nuk u shkrua me përgjigjet.',
  'org.evidenceIntro':
    'Skedarët e bashkëngjitur vlerësimit si dëshmi, me pyetjen ose fushën që mbështet secili dhe ditën kur u bashkëngjit. Vetë skedarët mbeten në Kalaja.',
  'org.noEvidence': 'Asnjë skedar nuk iu bashkëngjit vlerësimit si dëshmi.',
  'org.evidenceDomain': '{domain} (fusha në tërësi)',
  'org.evidenceWhole': 'Vlerësimi në tërësi',
  'count.sessions.one': '{n} sesion',
  'count.sessions.other': '{n} sesione',
  'count.modules.one': '{n} modul',
  'count.modules.other': '{n} module',
  'count.participants.one': '{n} pjesëmarrës',
  'count.participants.other': '{n} pjesëmarrës',
  'training.none':
    'Ende nuk është regjistruar asnjë trajnim. Pasi të regjistrohen sesionet me pjesëmarrjen dhe testet e njohurive para dhe pas, ky seksion tregon kë arritën trajnimet dhe çfarë mësuan pjesëmarrësit.',
  'training.delivered.one':
    'U zhvillua {sessions} ({modules}) me {participants}, që vinin nga {reached} prej {organisations} të grupit.',
  'training.delivered.other':
    'U zhvilluan {sessions} ({modules}) me {participants}, që vinin nga {reached} prej {organisations} të grupit.',
  'training.registered': 'Nga {registered} pjesëmarrës të regjistruar, morën pjesë {attended}.',
  'training.learned.one':
    '{pairs} e bëri testin e njohurive para dhe pas trajnimit dhe mori {pre} para dhe {post} pas, nga 100: një ndryshim prej {mean} pikësh{interval}; {improved} nga {n} mori më shumë pikë pas.',
  'training.learned.other':
    '{pairs} e bënë testin e njohurive para dhe pas trajnimit dhe morën mesatarisht {pre} para dhe {post} pas, nga 100: një ndryshim mesatar prej {mean} pikësh{interval}; {improved} nga {n} morën më shumë pikë pas.',
  'training.interval': ' (intervali 95%: {low} deri në {high})',
  'training.wilcoxon.one':
    'Testi Wilcoxon i rangjeve me shenjë për {n} pjesëmarrës, pikët e të cilit ndryshuan: {p}; korrelacioni rang-biserial {r}.',
  'training.wilcoxon.other':
    'Testi Wilcoxon i rangjeve me shenjë për {n} pjesëmarrësit, pikët e të cilëve ndryshuan: {p}; korrelacioni rang-biserial {r}.',
  'training.learnedWithheld.one':
    '{n} pjesëmarrës bëri të dy testet e njohurive: më pak se {k}, shumë pak për shifra në këtë botim.',
  'training.learnedWithheld.other':
    '{n} pjesëmarrës bënë të dy testet e njohurive: më pak se {k}, shumë pak për shifra në këtë botim.',
  'training.noChecks':
    'Asnjë pjesëmarrës nuk i ka bërë ende të dy testet e njohurive, ndaj nuk ka shifër për atë që mësuan.',
  'training.confidence.one':
    'Vetëbesimi, siç e vlerësuan vetë pjesëmarrësit nga 1 deri në 5, shkoi nga {pre} para në {post} pas ({n} pjesëmarrës me të dy vlerësimet).',
  'training.confidence.other':
    'Vetëbesimi, siç e vlerësuan vetë pjesëmarrësit nga 1 deri në 5, shkoi mesatarisht nga {pre} para në {post} pas ({n} pjesëmarrës me të dy vlerësimet).',
  'training.reaction.one':
    'Në anketën e reagimit, {n} pjesëmarrës e vlerësoi trajnimin me {usefulness} për dobinë dhe {relevance} për lidhjen me punën e tij, nga 1 deri në 5.',
  'training.reaction.other':
    'Në anketën e reagimit, {n} pjesëmarrës e vlerësuan trajnimin mesatarisht me {usefulness} për dobinë dhe {relevance} për lidhjen me punën e tyre, nga 1 deri në 5.',
  'training.followUp':
    '{title}, pas {days} ditësh: iu përgjigjën kontrollit pasues {responded} nga {asked} pjesëmarrësit e pyetur. Të pyetur nëse e kishin vënë në zbatim secilën praktikë, ata thanë: {items}.',
  'training.followUpItem': '„{text}“: {yes} po dhe {partly} pjesërisht',
  'training.followUpWithheld':
    '{title}, pas {days} ditësh: iu përgjigjën kontrollit pasues {responded} nga {asked} pjesëmarrësit e pyetur, shumë pak për shifra në këtë botim.',
  'training.followUpNone':
    '{title}, pas {days} ditësh: iu përgjigjën kontrollit pasues {responded} nga {asked} pjesëmarrësit e pyetur; asnjë praktikë nuk mori përgjigje.',
  'training.noFollowUp':
    'Ende nuk është regjistruar asnjë kontroll pasues: çfarë vunë në zbatim pjesëmarrësit do të shfaqet këtu sapo të bëhet një i tillë.',
  'training.withheld': 'Shifrat mbi më pak se {k} pjesëmarrës nuk shfaqen në këtë botim.',
  'training.limitSelected':
    'Pjesëmarrësit nuk u zgjodhën rastësisht: erdhën vetë ose i zgjodhën organizatat e tyre, dhe ata që bënë të dy testet mund të ndryshojnë nga ata që nuk i bënë.',
  'training.limitItems':
    'Para dhe pas u bënë të njëjtat pyetje, ndaj një pjesë e ndryshimit mund të vijë nga njohja e pyetjeve dhe jo nga të mësuarit.',
  'training.limitControl':
    'Nuk ka grup kontrolli: askush i krahasueshëm nuk i bëri testet pa trajnimin, ndaj këto shifra tregojnë çfarë dinin pjesëmarrësit pas tij, jo se vetëm trajnimi e bëri ndryshimin.',
  'change.pBelow': '< 0,001',
  'training.limitSmallest': 'Me {n} çifte që ndryshuan, p më e vogël që testi mund të arrijë është {p}.',
  'training.limitImpossible':
    'Me {n} çifte që ndryshuan, p më e vogël që testi mund të arrijë është {p}, ndaj një p nën 0,05 ishte e pamundur, çfarëdo që të ndodhte.',
  'training.sessionsTitle': 'Sesionet dhe pjesëmarrja',
  'training.knowledgeTitle': 'Njohuritë para dhe pas (0 deri në 100)',
  'training.ratingsTitle': 'Vetëbesimi dhe reagimi (1 deri në 5)',
  'training.modulesTitle': 'Sipas modulit, për të gjitha sesionet e tij',
  'training.followUpTitle': 'Vënia në zbatim',
  'training.followUpHeading': '{title}, pas {days} ditësh: u përgjigjën {responded} nga {asked}',
  'training.attendedOf': '{attended} nga {registered}',
  'training.reachedOf': '{reached} nga {cohort}',
  'training.range': '{low} deri në {high}',
  'section.trainingOrganisations': 'Trajnimet krahas ndryshimit të secilës organizatë',
  'training.orgIntro':
    'Për secilën organizatë, me pseudonimin e saj në shtojcë: pjesëmarrësit që dërgoi, ndryshimi mesatar i njohurive të tyre dhe ndryshimi mesatar i vetë organizatës ndërmjet raundeve {from} dhe {to} në fushat të cilave u shërbejnë trajnimet e saj.',
  'training.orgIntroSingle':
    'Për secilën organizatë, me pseudonimin e saj në shtojcë: pjesëmarrësit që dërgoi dhe ndryshimi mesatar i njohurive të tyre.',
  'training.orgSingleRound':
    'Ndryshimi i organizatave në fushat të cilave u shërbejnë trajnimet do të shfaqet këtu sapo të regjistrohet një rivlerësim.',
  'training.associationPositive':
    'Ndër {n} organizatat me të dyja shifrat, ato stafi i të cilave fitoi më shumë në testet e njohurive u përmirësuan më shumë edhe në këto fusha (korrelacioni i rangjeve {rho}). Kjo tregon lidhje, jo efekt: organizatat që tashmë po përmirësoheshin mund të dërgojnë edhe staf më të angazhuar, dhe të dyja mund të kenë shkaqe të tjera.',
  'training.associationNegative':
    'Ndër {n} organizatat me të dyja shifrat, ato stafi i të cilave fitoi më shumë në testet e njohurive u përmirësuan më pak në këto fusha (korrelacioni i rangjeve {rho}). Kjo tregon lidhje, jo efekt: të dyja mund të kenë shkaqet e veta.',
  'training.associationWeak':
    'Ndër {n} organizatat me të dyja shifrat, fitimi në njohuri i stafit dhe ndryshimi i tyre në këto fusha nuk tregojnë ndonjë model të qartë (korrelacioni i rangjeve {rho}). Edhe një model i qartë do të tregonte lidhje, jo efekt.',
  'training.associationFew':
    'Më pak se {min} organizata kanë të dyja shifrat: shumë pak për të kërkuar një model ndërmjet asaj që mësoi stafi dhe mënyrës si ndryshuan ato.',
  'label.module': 'Moduli',
  'label.sessions': 'Sesionet',
  'label.attended': 'Pjesëmarrja',
  'label.registered': 'Të regjistruar',
  'label.pairs': 'Çifte',
  'label.interval': 'Intervali 95%',
  'label.confidenceBefore': 'Vetëbesimi para',
  'label.confidenceAfter': 'Vetëbesimi pas',
  'label.usefulness': 'Dobia',
  'label.relevance': 'Lidhja me punën',
  'label.respondents': 'Të anketuar',
  'label.practice': 'Praktika',
  'label.yesShare': 'Po',
  'label.partlyShare': 'Pjesërisht',
  'label.answered': 'U përgjigjën',
  'label.participant': 'Pjesëmarrësi',
  'label.organisationsReached': 'Organizata të arritura',
  'label.knowledgeChange': 'Ndryshimi i njohurive',
  'label.domainsServed': 'Fushat e trajnimeve',
  'label.domainChange': 'Ndryshimi në ato fusha',
  'label.no': 'jo',
  'section.orgTrainings': 'Trajnimet',
  'org.trainingsIntro':
    'Trajnimet për të cilat u regjistruan njerëzit tuaj: kush mori pjesë dhe pikët e tyre në testin e njohurive para dhe pas, nga 0 deri në 100. Këta emra shfaqen vetëm në raportin e organizatës suaj.',
  'text.and': 'dhe',
};

/** Serbian, Latin script: the short labels. Cyrillic is transliterated from these. */
const SR_LATN: Catalogue = {
  'report.programme': 'Izveštaj o programu',
  'report.organisation': 'Izveštaj o organizaciji',
  'report.confidential': 'Poverljivo',
  'cover.framework': 'Okvir',
  'cover.rounds': 'Krugovi',
  'cover.organisations': 'Organizacije',
  'cover.date': 'Datum',
  'cover.scale': 'Skala',
  'cover.scaleValue': 'od 0 do {scale}',
  'cover.organisation': 'Organizacija',
  'section.summary': 'Sažetak',
  'section.methodology': 'Metodologija',
  'section.findings': 'Nalazi po oblastima',
  'section.gaps': 'Najčešći nedostaci',
  'section.change': 'Promena između krugova',
  'section.training': 'Uticaj obuka',
  'section.recommendations': 'Preporuke za javne politike',
  'section.annex': 'Prilog: rezultati po organizacijama',
  'section.scores': 'Rezultati',
  'section.domains': 'Oblasti',
  'section.notes': 'Beleške iz procene',
  'label.round': 'Krug',
  'label.organisations': 'Organizacije',
  'label.organisation': 'Organizacija',
  'label.mean': 'Prosek',
  'label.median': 'Medijana',
  'label.min': 'Najniži',
  'label.max': 'Najviši',
  'label.change': 'Promena',
  'label.meanChange': 'Prosečna promena',
  'label.improved': 'Poboljšano',
  'label.declined': 'Pogoršano',
  'label.unchanged': 'Bez promene',
  'label.domain': 'Oblast',
  'label.question': 'Pitanje',
  'label.questions': 'Pitanja',
  'label.weight': 'Težina',
  'label.overall': 'Ukupno',
  'label.level': 'Nivo',
  'label.completeness': 'Odgovoreno',
  'label.before': 'Pre',
  'label.after': 'Posle',
  'label.score': 'Rezultat',
  'label.answer': 'Odgovor',
  'label.dontKnow': 'Ne znam',
  'label.note': 'Beleška',
  'label.participants': 'Učesnici',
  'label.withheld': 'izostavljeno',
  'handbook.title': 'Priručnik za digitalnu bezbednost',
  'handbook.subtitle': 'Priprema, reagovanje, oporavak',
  'handbook.contents': 'Sadržaj',
  'handbook.sections': 'Odeljci',
  'handbook.lastReviewed': 'Poslednja provera',
  'handbook.reviewed': 'Poslednja provera: {date}',
  'handbook.part.prepare': 'Priprema',
  'handbook.part.respond': 'Reagovanje',
  'handbook.part.recover': 'Oporavak',
  'label.yes': 'da',
  'count.organisations.one': '{n} organizacija',
  'count.organisations.few': '{n} organizacije',
  'count.organisations.other': '{n} organizacija',
  'count.questions.one': '{n} pitanje',
  'count.questions.few': '{n} pitanja',
  'count.questions.other': '{n} pitanja',
  'count.domains.one': '{n} oblast',
  'count.domains.few': '{n} oblasti',
  'count.domains.other': '{n} oblasti',
  'report.defaultTitle': 'Program izgradnje kapaciteta u sajber bezbednosti',
  'report.page': 'Strana {page} od {pages}',
  'report.generated': 'Napravljeno {date}',
  'label.cohortMean': 'Prosek grupe',
  'label.sd': 'SD',
  'label.range': 'Raspon',
  'label.loss': 'Izgubljeni poeni oblasti',
  'label.gain': 'Ukupni dobitak',
  'label.quickWin': 'Brza pobeda',
  'label.rule': 'Pravilo',
  'rec.edited': 'izmenio tim programa',
  'rec.added': 'Dodao tim programa',
  'label.priority.high': 'Visok prioritet',
  'label.priority.medium': 'Srednji prioritet',
  'label.priority.low': 'Nizak prioritet',
  'label.critical': 'Kritične kontrole (ograničenje)',
  'label.cap': 'Ograničenje',
  'label.capped': 'ograničeno',
  'label.session': 'Sesija',
  'label.sessionDate': 'Datum',
  'label.knowledgeBefore': 'Znanje pre',
  'label.knowledgeAfter': 'Znanje posle',
  'label.strongest': 'Najjače oblasti',
  'label.weakest': 'Najslabije oblasti',
  'label.notApplicable': 'Nije primenljivo',
  'label.unanswered': 'Bez odgovora',
  'section.rules': 'Kako su preporuke sastavljene',
  'section.explanations': 'Šta je oblikovalo svaku oblast',
  'section.orgGaps': 'Nedostaci, po redosledu',
  'section.criticalGaps': 'Kritični nedostaci',
  'section.distribution': 'Raspodela rezultata po oblastima',
  'section.evidence': 'Priloženi dokazi',
  'section.plan': 'Plan: šta je izabrano i dokle se stiglo',
  'section.programmePlans': 'Sprovedene intervencije',
  'section.unaddressed': 'Nedostaci koje nijedan plan još ne obuhvata',
  'summary.lead.one':
    '{organisations} je učestvovala u programu i procenjena je prema okviru „{framework}“ ({questions}, {domains}); svaka oblast se ocenjuje od 0 do {scale}.',
  'summary.lead.few':
    '{organisations} su učestvovale u programu i procenjene su prema okviru „{framework}“ ({questions}, {domains}); svaka oblast se ocenjuje od 0 do {scale}.',
  'summary.lead.other':
    '{organisations} je učestvovalo u programu i procenjeno je prema okviru „{framework}“ ({questions}, {domains}); svaka oblast se ocenjuje od 0 do {scale}.',
  'summary.roundWithheld.one': 'U krugu {round} procenjena je {n}: premalo za podatke o grupi u ovom izdanju.',
  'summary.roundWithheld.few': 'U krugu {round} procenjene su {n}: premalo za podatke o grupi u ovom izdanju.',
  'summary.roundWithheld.other': 'U krugu {round} procenjeno je {n}: premalo za podatke o grupi u ovom izdanju.',
  'summary.changeWithheld.one':
    'Između krugova {from} i {to} u oba kruga procenjena je {n}: premalo za podatke o promeni u ovom izdanju.',
  'summary.changeWithheld.few':
    'Između krugova {from} i {to} u oba kruga procenjene su {n}: premalo za podatke o promeni u ovom izdanju.',
  'summary.changeWithheld.other':
    'Između krugova {from} i {to} u oba kruga procenjeno je {n}: premalo za podatke o promeni u ovom izdanju.',
  'summary.topGap.one':
    'Najčešći nedostatak u krugu {round}: nizak odgovor ili „Ne znam“ na pitanje „{question}“ ({count} od {of} organizacije)',
  'summary.topGap.few':
    'Najčešći nedostatak u krugu {round}: nizak odgovor ili „Ne znam“ na pitanje „{question}“ ({count} od {of} organizacije)',
  'summary.topGap.other':
    'Najčešći nedostatak u krugu {round}: nizak odgovor ili „Ne znam“ na pitanje „{question}“ ({count} od {of} organizacija)',
  'org.moreGaps.one': 'Posle navedenih sledi još {n} manji nedostatak; donosi manje od onih iznad.',
  'org.moreGaps.few': 'Posle navedenih slede još {n} manja nedostatka; svaki donosi manje od onih iznad.',
  'org.moreGaps.other': 'Posle navedenih sledi još {n} manjih nedostataka; svaki donosi manje od onih iznad.',
  'label.file': 'Datoteka',
  'label.supports': 'Potkrepljuje',
  'label.attached': 'Priloženo',
  'label.writtenBy': 'Autor',
  'label.byOrganisation': 'Organizacija',
  'label.byAssessor': 'Procenjivač',
  'label.item': 'Stavka',
  'label.kind': 'Vrsta',
  'label.status': 'Status',
  'label.due': 'Rok',
  'label.doneOn': 'Završeno',
  'label.why': 'Zašto',
  'label.kind.policy': 'Politika',
  'label.kind.technical': 'Tehnička',
  'label.kind.training': 'Obuka',
  'section.technicalFindings': 'Tehnički nalazi',
  'technical.intro':
    'Šta su procenjivači našli kada su testirali veb-sajt, poštu, naloge, uređaje, mrežu i prostorije organizacije, uz pregled višeg procenjivača: najozbiljniji prvi, sa onim što treba uraditi za svaki i njegovim ponovnim testom.',
  'technical.none': 'Nijedan tehnički nalaz nije odobren za ovu organizaciju.',
  'technical.summary.one': '{n} nalaz: {parts}.',
  'technical.summary.few': '{n} nalaza: {parts}.',
  'technical.summary.other': '{n} nalaza: {parts}.',
  'technical.retest': 'Ponovo testirano {date}: {outcome}. {notes}',
  'label.finding': 'Nalaz',
  'label.severity': 'Ozbiljnost',
  'label.target': 'Šta je testirano',
  'label.retest': 'Ponovni test',
  'label.severity.critical': 'Kritično',
  'label.severity.high': 'Visoko',
  'label.severity.medium': 'Srednje',
  'label.severity.low': 'Nisko',
  'label.severity.info': 'Informacija',
  'label.target.website': 'Veb-sajt',
  'label.target.mail-domain': 'Domen pošte',
  'label.target.account': 'Nalog',
  'label.target.device': 'Uređaj',
  'label.target.network': 'Mreža',
  'label.target.physical': 'Prostorije',
  'label.findingStatus.approved': 'Otvoreno',
  'label.findingStatus.fixed': 'Ispravljeno',
  'label.findingStatus.partly_fixed': 'Delimično ispravljeno',
  'label.findingStatus.accepted_risk': 'Prihvaćen rizik',
  'technical.programmeIntro':
    'Odobreni tehnički nalazi u celoj grupi, po ozbiljnosti, po onome što je testirano i po stanju, i koliko je trajalo ispravljanje od dana nalaza do ponovnog testa koji ga je našao ispravljenim.',
  'technical.medianDays': 'Medijana vremena od nalaza do ispravke: {days} dana.',
  'technical.noFix': 'Nijedan nalaz još nije ponovo testiran kao ispravljen.',
  'label.status.planned': 'Planirano',
  'label.status.in_progress': 'U toku',
  'label.status.done': 'Završeno',
  'label.status.dropped': 'Odustato',
  'label.overdue': 'kasni',
  'org.notesIntro':
    'Beleške napisane uz odgovore, onako kako su date: beleške same organizacije i beleške procenjivača, kada je odgovor potvrdio uz belešku.',
  'org.noNotes': 'Uz odgovore nije napisana nijedna beleška.',
  'org.evidenceIntro':
    'Datoteke priložene uz procenu kao dokaz, sa pitanjem ili oblašću koju svaka potkrepljuje i danom kada je priložena. Same datoteke ostaju sačuvane u sistemu Kalaja.',
  'org.noEvidence': 'Uz procenu nije priložena nijedna datoteka kao dokaz.',
  'org.evidenceDomain': '{domain} (oblast u celini)',
  'org.evidenceWhole': 'Procena u celini',
  'count.sessions.one': '{n} sesija',
  'count.sessions.few': '{n} sesije',
  'count.sessions.other': '{n} sesija',
  'count.modules.one': '{n} modul',
  'count.modules.few': '{n} modula',
  'count.modules.other': '{n} modula',
  'count.participants.one': '{n} učesnik',
  'count.participants.few': '{n} učesnika',
  'count.participants.other': '{n} učesnika',
  'training.none':
    'Još nije evidentirana nijedna obuka. Kada se evidentiraju sesije sa prisustvom i proverama znanja pre i posle, ovaj odeljak pokazuje koga su obuke obuhvatile i šta su učesnici naučili.',
  'training.delivered.other':
    'Održane sesije: {sessions} ({modules}). Učesnici: {participants}, iz {reached} od ukupno {organisations} u grupi.',
  'training.registered': 'Od {registered} prijavljenih učesnika prisustvovalo je {attended}.',
  'training.learned.one':
    'Proveru znanja pre i posle obuke uradio je {pairs}, sa rezultatom {pre} pre i {post} posle, od 100: promena od {mean} poena{interval}; bolji rezultat posle obuke imalo je {improved} od {n}.',
  'training.learned.few':
    'Proveru znanja pre i posle obuke uradila su {pairs}, sa prosečnim rezultatom {pre} pre i {post} posle, od 100: prosečna promena od {mean} poena{interval}; bolji rezultat posle obuke imalo je {improved} od {n}.',
  'training.learned.other':
    'Proveru znanja pre i posle obuke uradilo je {pairs}, sa prosečnim rezultatom {pre} pre i {post} posle, od 100: prosečna promena od {mean} poena{interval}; bolji rezultat posle obuke imalo je {improved} od {n}.',
  'training.interval': ' (interval poverenja od 95%: od {low} do {high})',
  'training.wilcoxon.other':
    'Vilkoksonov test ranga sa znakom za {n} učesnika čiji se rezultat promenio: {p}; rang-biserijalna korelacija {r}.',
  'training.learnedWithheld.other':
    'Broj učesnika koji su uradili obe provere znanja: {n}, manje od {k}, što je premalo za podatke u ovom izdanju.',
  'training.noChecks': 'Nijedan učesnik još nije uradio obe provere znanja, pa nema podataka o tome šta su naučili.',
  'training.confidence.other':
    'Samopouzdanje, kako su ga učesnici sami ocenili od 1 do 5, promenilo se u proseku sa {pre} pre na {post} posle obuke (broj učesnika sa obe ocene: {n}).',
  'training.reaction.other':
    'U anketi o utiscima (broj ispitanika: {n}) učesnici su obuku u proseku ocenili sa {usefulness} za korisnost i {relevance} za značaj za njihov rad, na skali od 1 do 5.',
  'training.followUp':
    '{title}, posle {days} dana: na naknadnu proveru odgovorilo je {responded} od {asked} upitanih učesnika. Na pitanje da li su primenili svaku od praksi, odgovorili su: {items}.',
  'training.followUpItem': '„{text}“: {yes} da i {partly} delimično',
  'training.followUpWithheld':
    '{title}, posle {days} dana: na naknadnu proveru odgovorilo je {responded} od {asked} upitanih učesnika, što je premalo za podatke u ovom izdanju.',
  'training.followUpNone':
    '{title}, posle {days} dana: na naknadnu proveru odgovorilo je {responded} od {asked} upitanih učesnika; ni za jednu praksu nema odgovora.',
  'training.noFollowUp':
    'Naknadna provera još nije evidentirana: šta su učesnici primenili u praksi biće prikazano ovde kada se sprovede.',
  'training.withheld': 'Podaci zasnovani na manje od {k} učesnika izostavljeni su u ovom izdanju.',
  'training.limitSelected':
    'Učesnici nisu izabrani nasumično: došli su sami ili su ih izabrale njihove organizacije, a oni koji su uradili obe provere mogu se razlikovati od onih koji nisu.',
  'training.limitItems':
    'Pre i posle obuke postavljena su ista pitanja, pa deo promene može poticati od poznavanja pitanja, a ne od učenja.',
  'training.limitControl':
    'Nema kontrolne grupe: niko uporediv nije radio provere bez obuke, pa ovi podaci pokazuju šta su učesnici znali posle obuke, a ne da je razliku napravila sama obuka.',
  'change.pBelow': '< 0,001',
  'training.limitSmallest': 'Sa {n} promenjenih parova najmanja p-vrednost koju test može da dostigne je {p}.',
  'training.limitImpossible':
    'Sa {n} promenjenih parova najmanja p-vrednost koju test može da dostigne je {p}, pa je p ispod 0,05 bilo nemoguće šta god da se desilo.',
  'training.sessionsTitle': 'Sesije i prisustvo',
  'training.knowledgeTitle': 'Znanje pre i posle (od 0 do 100)',
  'training.ratingsTitle': 'Samopouzdanje i utisci (od 1 do 5)',
  'training.modulesTitle': 'Po modulu, za sve njegove sesije',
  'training.followUpTitle': 'Primena u praksi',
  'training.followUpHeading': '{title}, posle {days} dana: odgovorilo {responded} od {asked}',
  'training.attendedOf': '{attended} od {registered}',
  'training.reachedOf': '{reached} od {cohort}',
  'training.range': 'od {low} do {high}',
  'section.trainingOrganisations': 'Obuke uz promenu svake organizacije',
  'training.orgIntro':
    'Za svaku organizaciju, pod pseudonimom iz priloga: učesnici koje je poslala, njihova prosečna promena znanja i prosečna promena same organizacije između krugova {from} i {to} u oblastima kojima služe njene obuke.',
  'training.orgIntroSingle':
    'Za svaku organizaciju, pod pseudonimom iz priloga: učesnici koje je poslala i njihova prosečna promena znanja.',
  'training.orgSingleRound':
    'Promena organizacija u oblastima kojima obuke služe biće prikazana ovde kada se evidentira ponovna procena.',
  'training.associationPositive':
    'Među organizacijama sa oba podatka ({n}), one čije je osoblje više napredovalo na proverama znanja više su napredovale i u ovim oblastima (korelacija rangova {rho}). Ovo pokazuje povezanost, a ne uticaj: organizacije koje su već napredovale možda šalju i angažovanije osoblje, a oboje može imati i druge uzroke.',
  'training.associationNegative':
    'Među organizacijama sa oba podatka ({n}), one čije je osoblje više napredovalo na proverama znanja manje su napredovale u ovim oblastima (korelacija rangova {rho}). Ovo pokazuje povezanost, a ne uticaj: oboje može imati sopstvene uzroke.',
  'training.associationWeak':
    'Među organizacijama sa oba podatka ({n}), napredak osoblja u znanju i promena organizacija u ovim oblastima ne pokazuju jasan obrazac (korelacija rangova {rho}). I jasan obrazac bi pokazivao povezanost, a ne uticaj.',
  'training.associationFew':
    'Manje od {min} organizacije ima oba podatka: premalo da bi se tražio obrazac između onoga što je osoblje naučilo i promene organizacija.',
  'label.module': 'Modul',
  'label.sessions': 'Sesije',
  'label.attended': 'Prisustvo',
  'label.registered': 'Prijavljeno',
  'label.pairs': 'Parovi',
  'label.interval': 'Interval 95%',
  'label.confidenceBefore': 'Samopouzdanje pre',
  'label.confidenceAfter': 'Samopouzdanje posle',
  'label.usefulness': 'Korisnost',
  'label.relevance': 'Značaj za rad',
  'label.respondents': 'Ispitanici',
  'label.practice': 'Praksa',
  'label.yesShare': 'Da',
  'label.partlyShare': 'Delimično',
  'label.answered': 'Odgovorilo',
  'label.participant': 'Učesnik',
  'label.organisationsReached': 'Obuhvaćene organizacije',
  'label.knowledgeChange': 'Promena znanja',
  'label.domainsServed': 'Oblasti obuka',
  'label.domainChange': 'Promena u tim oblastima',
  'label.no': 'ne',
  'section.orgTrainings': 'Obuke',
  'org.trainingsIntro':
    'Obuke na koje su prijavljeni vaši ljudi: ko je prisustvovao i njihovi rezultati na proveri znanja pre i posle, od 0 do 100. Ova imena prikazuje samo izveštaj vaše organizacije.',
  'text.and': 'i',
};

const LATIN_TO_CYRILLIC: Record<string, string> = {
  A: 'А', B: 'Б', C: 'Ц', Č: 'Ч', Ć: 'Ћ', D: 'Д', Đ: 'Ђ', E: 'Е', F: 'Ф', G: 'Г', H: 'Х', I: 'И', J: 'Ј',
  K: 'К', L: 'Л', M: 'М', N: 'Н', O: 'О', P: 'П', R: 'Р', S: 'С', Š: 'Ш', T: 'Т', U: 'У', V: 'В', Z: 'З',
  Ž: 'Ж', a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и',
  j: 'ј', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в',
  z: 'з', ž: 'ж',
}; // prettier-ignore
const DIGRAPHS: Record<string, string> = {
  Lj: 'Љ',
  LJ: 'Љ',
  lj: 'љ',
  Nj: 'Њ',
  NJ: 'Њ',
  nj: 'њ',
  Dž: 'Џ',
  DŽ: 'Џ',
  dž: 'џ',
};

/** Serbian Latin to Cyrillic, letter by letter (lj, nj, dž are one letter); `{placeholders}` stay. */
export function latinToCyrillic(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{') {
      const end = text.indexOf('}', i);
      if (end > i) {
        out += text.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    const pair = text.slice(i, i + 2);
    const digraph = DIGRAPHS[pair];
    if (digraph !== undefined) {
      out += digraph;
      i++;
      continue;
    }
    out += LATIN_TO_CYRILLIC[c] ?? c;
  }
  return out;
}

const SR_CYRL: Catalogue = Object.fromEntries(
  Object.entries(SR_LATN).map(([k, v]) => [k, latinToCyrillic(v as string)]),
) as Catalogue;

export const REPORT_CATALOGUES: Readonly<Record<Locale, Catalogue>> = {
  en: EN,
  sq: SQ,
  'sr-Latn': SR_LATN,
  'sr-Cyrl': SR_CYRL,
};

/** The keys of the English catalogue that a locale does not translate yet (they show in English). */
export function missingTexts(locale: Locale): TextKey[] {
  const catalogue = REPORT_CATALOGUES[locale];
  return (Object.keys(EN) as TextKey[]).filter((k) => catalogue[k] === undefined && !isPluralVariant(k, catalogue));
}

function isPluralVariant(key: string, catalogue: Catalogue): boolean {
  // A language without a `.one` form (or with extra `.few`) is still complete if it has `.other`.
  const m = /^(.*)\.(one|few|other)$/.exec(key);
  return m !== null && (catalogue as Record<string, string>)[`${m[1]}.other`] !== undefined;
}

export function isReportLocale(value: string): value is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

export type TextParams = Readonly<Record<string, string | number>>;

/**
 * The words and number formats of one locale. Numbers print through the display helpers
 * (`@kalaja/engine/display`), as in the web app: rounded half up first, then formatted.
 */
export class ReportText {
  readonly locale: Locale;
  private readonly catalogue: Catalogue;
  private readonly plurals: Intl.PluralRules;

  constructor(locale: Locale) {
    this.locale = locale;
    this.catalogue = REPORT_CATALOGUES[locale];
    this.plurals = new Intl.PluralRules(locale);
  }

  /** Whether the catalogue (or English) has this key. */
  has(key: string): key is TextKey {
    return Object.prototype.hasOwnProperty.call(EN, key);
  }

  /** The text for a key with its `{placeholders}` filled; English when the locale lacks it. */
  t(key: TextKey, params: TextParams = {}): string {
    const template = this.catalogue[key] ?? EN[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : typeof value === 'number' ? this.int(value) : value;
    });
  }

  /** A plural form: `count.organisations` with n = 7 → "7 organisations". */
  count(base: 'organisations' | 'questions' | 'domains' | 'sessions' | 'participants', n: number): string {
    return this.plural(`count.${base}`, n, { n });
  }

  plural(base: string, n: number, params: TextParams = {}): string {
    const rule = this.plurals.select(n);
    const own = this.catalogue as Record<string, string>;
    const en = EN as Record<string, string>;
    const hasOwn = own[`${base}.other`] !== undefined;
    const source = hasOwn ? own : en;
    const rules = hasOwn ? rule : new Intl.PluralRules('en').select(n);
    const key = (source[`${base}.${rules}`] !== undefined ? `${base}.${rules}` : `${base}.other`) as TextKey;
    const template = source[key] ?? en[key] ?? base;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : typeof value === 'number' ? this.int(value) : value;
    });
  }

  /** A number with exactly `decimals` places, rounded half up; an en dash for no value. */
  number(x: number | null | undefined, decimals: number): string {
    return formatNumber(x, decimals, this.locale);
  }

  /** A change with its sign: +0.61, -0.36, 0.00 (see `formatSigned`). */
  signed(x: number | null | undefined, decimals: number): string {
    return formatSigned(x, decimals, this.locale);
  }

  /** A share in [0, 1] as a whole percentage, rounded half up. */
  percent(x: number | null | undefined): string {
    return formatPercent(x, this.locale);
  }

  int(n: number): string {
    return formatInteger(n, this.locale);
  }

  /** A calendar date in the locale's long form; the ISO text itself if it cannot be read. */
  date(iso: string): string {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  }

  /** "a, b and c" in the locale's words. */
  list(items: readonly string[]): string {
    if (items.length === 0) return this.t('text.none');
    if (items.length === 1) return items[0]!;
    return `${items.slice(0, -1).join(', ')} ${this.t('text.and')} ${items[items.length - 1]!}`;
  }
}

const cache = new Map<Locale, ReportText>();

/** The (cached) words and formats of a locale. */
export function reportText(locale: Locale): ReportText {
  let t = cache.get(locale);
  if (!t) cache.set(locale, (t = new ReportText(locale)));
  return t;
}
