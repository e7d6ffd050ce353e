import { Type, type Static } from 'typebox';
import type { Questionnaire } from './types.js';

/*
 * The one schema of a questionnaire: the routes validate request bodies with it and the model checks
 * stored or imported questionnaires with it (model.validateQuestionnaire adds the rules a schema cannot
 * say: unique keys, the key-task items exist). Its static type is checked against types.ts below.
 */

const Key = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' });
const Prompt = Type.String({ minLength: 1, maxLength: 300 });
const Base = { key: Key, prompt: Prompt, required: Type.Optional(Type.Boolean()) };

export const QuestionItemSchema = Type.Union([
  Type.Object({ ...Base, kind: Type.Literal('satisfaction') }, { additionalProperties: false }),
  Type.Object({ ...Base, kind: Type.Literal('difficulty') }, { additionalProperties: false }),
  Type.Object({ ...Base, kind: Type.Literal('checklist') }, { additionalProperties: false }),
  Type.Object(
    {
      ...Base,
      kind: Type.Literal('dimensions'),
      dimensions: Type.Array(
        Type.Object(
          { key: Key, name: Type.String({ minLength: 1, maxLength: 60 }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 20 },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object({ ...Base, kind: Type.Literal('yes_no') }, { additionalProperties: false }),
  Type.Object(
    {
      ...Base,
      kind: Type.Literal('choice'),
      options: Type.Array(
        Type.Object(
          { key: Key, label: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        { minItems: 2, maxItems: 30 },
      ),
      multiple: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      ...Base,
      kind: Type.Literal('text'),
      maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
    },
    { additionalProperties: false },
  ),
]);

const Score = Type.Number({ minimum: 0, maximum: 1000 });

export const DifficultyFormulaSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('linear'),
      centre: Type.Number({ minimum: 1, maximum: 5 }),
      perLevel: Type.Number({ minimum: -1, maximum: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('steps'),
      steps: Type.Array(
        Type.Object(
          {
            atLeast: Type.Number({ minimum: 1, maximum: 5 }),
            coefficient: Type.Number({ minimum: 0, maximum: 10 }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 10 },
      ),
    },
    { additionalProperties: false },
  ),
]);

export const QuestionnaireSchema = Type.Object(
  {
    intro: Type.Optional(Type.String({ maxLength: 2000 })),
    items: Type.Array(QuestionItemSchema, { minItems: 1, maxItems: 50 }),
    satisfactionScores: Type.Object(
      {
        satisfied: Score,
        fairly_satisfied: Score,
        basically_satisfied: Score,
        dissatisfied: Score,
      },
      { additionalProperties: false },
    ),
    keyTask: Type.Optional(
      Type.Object(
        {
          satisfaction: Key,
          difficulty: Key,
          formula: DifficultyFormulaSchema,
          cap: Type.Optional(Score),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

// The schema and the declared shape are one: a change to either that the other lacks fails `tsc`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<Static<typeof QuestionnaireSchema>, Questionnaire> = true;
void schemaMatchesTypes;
