import { type LetterLanguage, NOTICE_ITEMS, type NoticeFields } from './incidents.model.ts';

/** What a letter is composed from: the incident's own fields. */
export interface LetterSource {
  title: string;
  organizationName: string;
  detectedAt: Date;
  notice: NoticeFields;
}

export interface ComposedLetter {
  language: LetterLanguage;
  subject: string;
  text: string;
  /** Art. 57 items the incident does not say yet: a letter with missing items is not sent. */
  missing: (keyof NoticeFields)[];
}

interface Template {
  subject: (s: LetterSource) => string;
  opening: (s: LetterSource, day: string) => string;
  headings: Record<keyof NoticeFields, string>;
  closing: (s: LetterSource) => string;
}

// One heading per item of PIPL Art. 57 para. 1, in the order the article lists them.
const TEMPLATES: Record<LetterLanguage, Template> = {
  'zh-CN': {
    subject: (s) => `${s.organizationName}关于个人信息安全事件的告知`,
    opening: (s, day) =>
      `您好：${s.organizationName}于 ${day} 发现一起个人信息安全事件（${s.title}），可能涉及您的个人信息。根据《中华人民共和国个人信息保护法》第五十七条，现将有关情况告知如下。`,
    headings: {
      informationTypes: '一、涉及的个人信息种类',
      cause: '二、事件原因',
      possibleHarm: '三、可能造成的危害',
      remedies: '四、我们已采取的补救措施',
      advice: '五、您可以采取的减轻危害的措施',
      contact: '六、联系方式',
    },
    closing: (s) => `${s.organizationName}`,
  },
  en: {
    subject: (s) => `${s.organizationName}: notice of a personal information security incident`,
    opening: (s, day) =>
      `${s.organizationName} discovered on ${day} a personal information security incident (${s.title}) that may concern your personal information. As Article 57 of the Personal Information Protection Law of the People's Republic of China requires, we tell you the following.`,
    headings: {
      informationTypes: '1. Kinds of personal information involved',
      cause: '2. Cause of the incident',
      possibleHarm: '3. Harm it may cause',
      remedies: '4. Remedies we have taken',
      advice: '5. What you can do to reduce the harm',
      contact: '6. How to contact us',
    },
    closing: (s) => s.organizationName,
  },
  fr: {
    subject: (s) => `${s.organizationName} : information sur un incident de sécurité de données personnelles`,
    opening: (s, day) =>
      `${s.organizationName} a découvert le ${day} un incident de sécurité (${s.title}) qui peut concerner vos informations personnelles. Conformément à l'article 57 de la loi de la République populaire de Chine sur la protection des informations personnelles, nous vous informons de ce qui suit.`,
    headings: {
      informationTypes: '1. Catégories d’informations personnelles concernées',
      cause: '2. Cause de l’incident',
      possibleHarm: '3. Préjudice possible',
      remedies: '4. Mesures correctives prises',
      advice: '5. Ce que vous pouvez faire pour réduire le préjudice',
      contact: '6. Comment nous contacter',
    },
    closing: (s) => s.organizationName,
  },
};

/** The day of detection in Beijing (UTC+8), as the letter states it. */
function cityDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Composes the letter from the incident's fields; the same text is previewed and sent. */
export function composeLetter(source: LetterSource, language: LetterLanguage): ComposedLetter {
  const template = TEMPLATES[language];
  const missing = NOTICE_ITEMS.filter((item) => source.notice[item].trim() === '');
  const sections = NOTICE_ITEMS.map(
    (item) => `${template.headings[item]}\n${source.notice[item].trim() || '—'}`,
  );
  const text = [
    template.opening(source, cityDay(source.detectedAt)),
    ...sections,
    template.closing(source),
  ].join('\n\n');
  return { language, subject: template.subject(source), text: `${text}\n`, missing };
}
