// What every message catalogue is made of: codes that never change with the language, each a function of its values.

export type Params = Record<string, string | number>;
export type Catalog = Record<string, (p: Params) => string>;

/** The part of a code after `prefix.`: `ReasonOf<'reason.go-panic' | 'ui.title', 'reason'>` is `'go-panic'`. */
export type CodesUnder<Code, Prefix extends string> = Code extends `${Prefix}.${infer Rest}` ? Rest : never;

/** A quoted log message ends the sentence with its own `!`, `.` or `。` rather than doubling it (`deadlock!.`). */
export function endSentence(text: string | number | undefined, stop: '.' | '。'): string {
  const t = String(text ?? '').trimEnd().replace(/\s*[:：]$/, ''); // `yaml: unmarshal errors:` ends the sentence too
  return /[.!?。！？…]$/.test(t) ? t : `${t}${stop}`;
}

/** Text not said yet: a catalogue code and the values it names (a value may be a phrase itself); tellers say it in --lang. */
export interface Phrase<Code extends string = string> {
  code: Code;
  params: PhraseParams;
}

export type PhraseParams = Record<string, string | number | Phrase>;
