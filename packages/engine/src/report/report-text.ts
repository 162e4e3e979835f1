/**
 * The words of the reports: one catalogue per locale, English complete, and the number and
 * date formatting of each locale through `Intl`. Templates take `{name}` placeholders; a key
 * ending in `.one` / `.few` / `.other` is a plural form chosen with `Intl.PluralRules`.
 *
 * Albanian (`sq`, `locales/sq.json`) and Serbian in Latin script (`sr-Latn`,
 * `locales/sr-Latn.json`) translate every key; Serbian in Cyrillic script (`sr-Cyrl`) is the Latin
 * catalogue passed through `latinToCyrillic`, with its exceptions (names, acronyms, addresses and
 * placeholders stay Latin). `missingTexts(locale)` lists what a catalogue lacks, and a test keeps
 * it empty for every locale.
 */
import { formatInteger, formatNumber, formatPercent, formatSigned } from '../display/numbers.js';
import { SUPPORTED_LOCALES, type Locale } from '../text.js';
import { latinToCyrillic } from '../transliterate.js';
import sq from './locales/sq.json' with { type: 'json' };
import srLatn from './locales/sr-Latn.json' with { type: 'json' };

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
  'section.threats': 'Digital threats',
  'threats.intro':
    'The incidents the organisations recorded in their incident logs over the period, counted by kind, by who was probably behind them, by whether they were aimed at the organisation and by how sure the organisation was, beside the cohort\u2019s baseline capacity. What each organisation wrote stays in its own log.',
  'threats.summary.one': 'From {from} to {to}: {n} incident at {affected} of {organisations} organisations.',
  'threats.summary.other': 'From {from} to {to}: {n} incidents at {affected} of {organisations} organisations.',
  'threats.summaryWithheld': 'From {from} to {to}: too few organisations for the counts in this edition.',
  'threats.baselineIntro': 'The cohort\u2019s mean baseline score per domain (0 to 4), with the organisations scored.',
  'threats.noBaseline': 'There are no baseline scores yet.',
  'threats.surveyTitle': 'Survey: {title}',
  'threats.surveyIntro':
    'The organisations\u2019 answers to the programme\u2019s threat survey, each organisation\u2019s latest, counted per question. Nothing here is scored. Texts are listed without the organisation that wrote them.',
  'threats.surveyIntroObservers':
    'The organisations\u2019 answers to the programme\u2019s threat survey, counted per question. A question or an answer from fewer organisations than this edition shows is withheld; no text answer is shown.',
  'threats.answered.one': '{n} organisation answered.',
  'threats.answered.other': '{n} organisations answered.',
  'threats.surveyWithheld': 'Too few organisations answered for this edition.',
  'threats.numberSummary': 'Median {median}, from {min} to {max}.',
  'threats.numberSummaryUnit': 'Median {median} {unit}, from {min} to {max}.',
  'label.surveyAnswer': 'Answer',
  'label.incidentCategory': 'Kind of incident',
  'label.incidentActor': 'Probable actor',
  'label.incidentTargeting': 'Targeted or opportunistic',
  'label.incidentCertainty': 'Confirmed, suspected or near miss',
  'label.incidents': 'Incidents',
  'label.shareOfOrganisations': 'Share of organisations',
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

  // The policy paper of an openness index (openness/paper.ts)
  'oi.report': 'Policy paper',
  'oi.defaultTitle': 'Openness Index of public institutions',
  'oi.publicNote': 'Institutions’ results are public: this paper names every institution measured and its scores.',
  'oi.cover.wave': 'Wave',
  'oi.cover.previous': 'Compared with',
  'oi.cover.institutions': 'Institutions',
  'oi.cover.indicators': 'Indicators',
  'oi.section.ranking': 'The ranking',
  'oi.section.principles': 'Findings by principle',
  'oi.section.institutions': 'Findings by institution',
  'oi.section.regional': 'Regional comparison',
  'oi.section.recommendations': 'Recommendations to the government as a whole',
  'oi.section.annex': 'Annex: the indicators and their sources',
  'oi.section.limits': 'What the index can and cannot show',
  'oi.label.rank': 'Rank',
  'oi.label.institution': 'Institution',
  'oi.label.country': 'Country',
  'oi.label.principle': 'Principle',
  'oi.label.indicator': 'Indicator',
  'oi.label.indicators': 'Indicators',
  'oi.label.source': 'Source',
  'oi.label.points': 'Points',
  'oi.label.earned': 'Points earned',
  'oi.label.missedBy': 'Earned nothing',
  'oi.label.checked': 'Checked',
  'oi.label.recommendation': 'What earns the points',
  'oi.label.unranked': 'not ranked',
  'oi.label.weight': 'Weight',
  'oi.source.desk-research': 'Desk research',
  'oi.source.questionnaire': 'Questionnaire',
  'oi.source.interview': 'Interview',
  'oi.source.none': 'Not stated',
  'oi.count.institutions.one': '{n} institution',
  'oi.count.institutions.other': '{n} institutions',
  'oi.count.indicators.one': '{n} indicator',
  'oi.count.indicators.other': '{n} indicators',
  'oi.count.principles.one': '{n} principle',
  'oi.count.principles.other': '{n} principles',
  'oi.summary.lead.one':
    '{institutions} was measured in wave {wave} on {indicators} in {principles} of the {framework}.',
  'oi.summary.lead.other':
    '{institutions} were measured in wave {wave} on {indicators} in {principles} of the {framework}.',
  'oi.summary.top':
    'The highest overall score is that of {top} ({score}) and the lowest that of {bottom} ({lowScore}); the mean is {mean} and the median {median}.',
  'oi.summary.unranked.one':
    '{n} institution has no score, because no applicable indicator was answered, and is not ranked.',
  'oi.summary.unranked.other':
    '{n} institutions have no score, because no applicable indicator was answered, and are not ranked.',
  'oi.summary.change':
    'Over the {n} measured in both {previous} and {wave}, the mean overall score changed by {mean} points: {improved} improved, {declined} declined and {unchanged} stayed the same.',
  'oi.summary.weakest': 'The weakest principle is {principle}, with a mean score of {mean}.',
  'oi.summary.recommendations.one':
    'The paper makes {n} recommendation, drafted by the documented rules; {government} of them is addressed to the government as a whole.',
  'oi.summary.recommendations.other':
    'The paper makes {n} recommendations, drafted by the documented rules; {government} of them are addressed to the government as a whole.',
  'oi.method.framework':
    'The index uses the framework {framework} (version {version}): {indicators} grouped in {principles}.',
  'oi.method.sources':
    'Each indicator is checked from one source: desk research on what the institution publishes, a questionnaire the institution fills in, or an interview. The table lists the indicators of each principle by source.',
  'oi.method.points':
    'Each indicator is worth its own maximum, between {min} and {max} points, and each answer earns a share of it. A principle scores {scale} × points earned / points possible: a percentage.',
  'oi.method.pointsSame':
    'Each indicator is worth {max} points, and each answer earns a share of them. A principle scores {scale} × points earned / points possible: a percentage.',
  'oi.method.overall': 'The overall score is the weighted mean of the principle scores, with the weights {weights}.',
  'oi.method.percentages':
    'Percentages are shown with one decimal, rounded half up. The ranking uses the unrounded values, so two institutions shown with the same figure may hold different ranks. Tied institutions share a rank and the next rank is skipped (1, 2, 2, 4); an institution with no score is listed last, without a rank.',
  'oi.method.reduced':
    'An indicator that does not apply to an institution (a newer institution, or one without the function it measures) is answered “not applicable” and left out of both the points earned and the points possible: the institution is measured on a reduced set. Answers “not applicable” in this wave: {n}.',
  'oi.method.waves': 'Waves are measurement rounds; this paper reports wave {wave}, the first.',
  'oi.method.wavesCompared':
    'Waves are measurement rounds; this paper reports wave {wave} and compares it with wave {previous}, over the institutions measured in both, with the paired statistics of every report: the mean change, its 95% interval and the Wilcoxon signed-rank test.',
  'oi.method.evidence':
    'Every answer records where it was checked. Of the {answers} answers in this wave, {withUrl} carry the link they were checked at, checked between {from} and {to}.',
  'oi.method.evidenceOneDay':
    'Every answer records where it was checked. Of the {answers} answers in this wave, {withUrl} carry the link they were checked at, all checked on {from}.',
  'oi.method.evidenceUndated':
    'Every answer records where it was checked. Of the {answers} answers in this wave, {withUrl} carry the link they were checked at.',
  'oi.method.evidenceNone':
    'This edition was made from the answers alone: the link and date each indicator was checked on are kept with the index, not in this paper.',
  'oi.method.recommendations':
    'The recommendations are drafted by the rules listed at the end of this paper; the research team may reword, drop or add recommendations before publishing.',
  'oi.limit.snapshot':
    'The index measures what could be found and checked on the day of the check, not how well an institution does its work.',
  'oi.limit.ownAccount':
    'Questionnaire and interview answers are the institution’s own account; desk-research indicators were checked independently.',
  'oi.limit.change':
    'The change between waves rests on the institutions measured in both; with few institutions the signed-rank test cannot reach a small p-value, so read the change as a description, not as proof.',
  'oi.ranking.intro':
    'Institutions in order of their overall score in wave {wave}; the change is since wave {previous}.',
  'oi.ranking.introSingle': 'Institutions in order of their overall score in wave {wave}.',
  'oi.principle.spread':
    'In wave {wave}, {n} scored on this principle: mean {mean}, median {median}, from {min} to {max}.',
  'oi.principle.missed.one': '{n} indicator of this principle is missed by most institutions measured on it:',
  'oi.principle.missed.other': '{n} indicators of this principle are missed by most institutions measured on them:',
  'oi.principle.noneMissed': 'No indicator of this principle is missed by most institutions.',
  'oi.principle.missedCount': '{count} of {of}',
  'oi.principle.change':
    'Since {previous}, over {n} measured in both: mean change {mean} points (95% interval {low} to {high}); {improved} improved, {declined} declined, {unchanged} unchanged; Wilcoxon signed-rank test p = {p}.',
  'oi.principle.changeShort':
    'Since {previous}, over {n} measured in both: mean change {mean} points; {improved} improved, {declined} declined, {unchanged} unchanged.',
  'oi.principle.changeNone': 'No institution was measured on this principle in both {previous} and {wave}.',
  'oi.inst.intro':
    'For each institution: its score on each principle and the change since the previous wave, the indicators where it earned nothing with what earns the points, and its recommendations.',
  'oi.inst.lead': 'Overall score {score}, rank {rank} of {of}.',
  'oi.inst.leadUnranked': 'No score: no applicable indicator was answered, so the institution is not ranked.',
  'oi.inst.change': 'Change since {previous}: {change} points (from {before}).',
  'oi.inst.new': 'Not measured in {previous}.',
  'oi.inst.zero.one': 'It earned nothing on {n} indicator:',
  'oi.inst.zero.other': 'It earned nothing on {n} indicators:',
  'oi.inst.zeroNone': 'It earned points on every indicator it was measured on.',
  'oi.regional.intro': 'The institutions measured in {countries}, by country, in wave {wave}.',
  'oi.recommendations.intro':
    'Indicators that most institutions miss are a matter for the government as a whole: a common rule, guideline or platform closes them faster than each institution on its own.',
  'oi.recommendations.none':
    'No indicator is missed by most institutions, so no recommendation is addressed to the government as a whole.',
  'oi.annex.intro':
    'Every indicator of the framework, with its principle, the source it is checked by and the points it is worth.',
  'oi.rule.indicator-missing':
    'For each institution and each indicator it was measured on (answered, applicable) and earned no points on: a recommendation to publish or do what earns the points, from the indicator’s guidance (medium priority).',
  'oi.rule.principle-priority':
    'For each institution and each principle it scores below {threshold} on: that principle is a priority (high priority).',
  'oi.rule.decline':
    'For each institution whose overall score fell by {threshold} points or more since the previous wave: a warning that names the principles that fell (medium priority).',
  'oi.rule.government-wide':
    'For each indicator on which more than {share} of the institutions measured on it, and at least {min}, earned nothing: a recommendation to the government as a whole (high priority).',
  'oi.rec.missing.title': 'Earn the points on “{indicator}”',
  'oi.rec.missing.text': '{institution} earned no points on this indicator in wave {wave}. What earns them: {guidance}',
  'oi.rec.missing.best': 'the answer “{option}”.',
  'oi.rec.priority.title': 'Make {principle} a priority',
  'oi.rec.priority.text':
    '{institution} scores {score} on {principle}, below {threshold}. Start with the indicators where it earned nothing: {indicators}.',
  'oi.rec.decline.title': 'Reverse the decline since {previous}',
  'oi.rec.decline.text':
    'The overall score of {institution} fell from {before} to {after} ({change} points) between {previous} and {wave}. Principles that fell: {principles}.',
  'oi.rec.government.title': 'Across the government: “{indicator}”',
  'oi.rec.government.text.one':
    '{count} of {of} institution earned nothing on this indicator in wave {wave}. A common rule, guideline or platform would close the gap faster than each institution on its own. What earns the points: {guidance}',
  'oi.rec.government.text.other':
    '{count} of {of} institutions earned nothing on this indicator in wave {wave}. A common rule, guideline or platform would close the gap faster than each institution on its own. What earns the points: {guidance}',

  // Fallback texts
  'text.none': 'none',
  'text.and': 'and',
  /** The word of a pseudonym in the annex: "Organisation A". */
  'label.pseudonym': 'Organisation',
} as const;

export type TextKey = keyof typeof EN;
/** A catalogue: some of the English keys, plus `.few` plural forms where the language has them. */
export type Catalogue = Readonly<Partial<Record<TextKey | `${string}.few`, string>>>;

/** Albanian, complete: `locales/sq.json`. */
const SQ: Catalogue = sq;

/** Serbian in Latin script, complete: `locales/sr-Latn.json`. Cyrillic is derived from it. */
const SR_LATN: Catalogue = srLatn;

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
