// NLP.js ships no types; these are the parts this room uses, as its sources (4.26/4.27) define them.
declare module '@nlpjs/core' {
  export class Container {
    constructor();
  }
}

declare module '@nlpjs/nlu' {
  import type { Container } from '@nlpjs/core';
  export interface Classification {
    intent: string;
    score: number;
  }
  export interface SpellCheck {
    features: Record<string, number>;
    featuresByLength: Record<number, string[] | undefined>;
    minLength: number;
    checkToken(token: string, distance: number): string;
    setFeatures(features: Record<string, number>): void;
  }
  export class NluNeural {
    constructor(settings: Record<string, unknown>, container: Container);
    spellCheck: SpellCheck;
    train(corpus: Array<{ utterance: string; intent: string }>): Promise<unknown>;
    process(text: string): Promise<{ classifications: Classification[] }>;
    prepare(text: unknown, settings?: unknown): Promise<unknown>;
    toJSON(): object;
    fromJSON(json: object): void;
  }
}

declare module '@nlpjs/lang-en-min' {
  import type { Container } from '@nlpjs/core';
  export class TokenizerEn {
    constructor(container?: Container);
    tokenize(text: string, normalize?: boolean): string[];
  }
  export class StemmerEn {
    constructor(container?: Container);
    stemWord(word: string): string;
  }
}

declare module '@nlpjs/lang-ja' {
  import type { Container } from '@nlpjs/core';
  export class TokenizerJa {
    constructor(container?: Container);
    tokenize(text: string, normalize?: boolean): string[];
  }
}
