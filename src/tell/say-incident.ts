// Says what the judge decided, in --lang: an incident's reason, missing input and advice, and the warnings, from codes
// and values to the sentences of the report (the JSON's `reason`, `advice[].text`, `warnings[].message`).
import type { Params, Phrase, PhraseParams } from '../i18n/catalog.js';
import type { Lang } from '../i18n/messages.js';
import { say, type SayCode } from '../i18n/supervise-messages.js';
import { warningCode, warningMessage, type Notice } from '../i18n/warning-messages.js';
import type { AdvicePhrase } from '../judge/advice.js';
import type { JudgedIncident } from '../judge/incidents.js';
import type { Advice, Incident, Warning } from '../model/report.js';

/** The values of a phrase with every phrase among them said first (where GOMEMLIMIT goes, the missing input). */
function saidParams(params: PhraseParams, lang: Lang): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) out[name] = typeof value === 'object' ? sayPhrase(value, lang) : value;
  return out;
}

// The codes inside a phrase were checked where it was made (`inner()` takes SayCode only).
function sayPhrase(phrase: Phrase, lang: Lang): string {
  return say(lang, phrase.code as SayCode, saidParams(phrase.params, lang));
}

export function sayAdvice(advice: AdvicePhrase, lang: Lang): Advice {
  const params = saidParams(advice.params, lang);
  return { code: advice.code, text: say(lang, `advice.${advice.code}`, params), params };
}

export function sayIncident(incident: JudgedIncident, lang: Lang): Incident {
  return {
    ...incident,
    reason: say(lang, `reason.${incident.reason.code}`, saidParams(incident.reason.params, lang)),
    missingInput: incident.missingInput === null ? null : say(lang, `missing.${incident.missingInput}`),
    advice: incident.advice.map((a) => sayAdvice(a, lang)),
  };
}

export function sayWarning(notice: Notice, lang: Lang): Warning {
  return { code: warningCode(notice.key), ...(notice.path !== undefined ? { path: notice.path } : {}), message: warningMessage(lang, notice.key, notice.params) };
}
