import { z } from "zod";
import { CUSTOM_TYPE } from "./events";

/**
 * The shape of a *partial* rules object, written once as a zod schema so that validation and the
 * published JSON Schema cannot disagree: {@link RULES_JSON_SCHEMA} is generated from it. Semantic
 * checks that JSON Schema cannot express (unique ids, A ≥ B ≥ C, …) live in rules.ts.
 */

const RESERVED_IDS = new Set(["__proto__", "constructor", "prototype"]);

const ruleId = z
  .string()
  .regex(/^[a-z0-9_-]{1,40}$/, { error: "must be 1 to 40 characters of a-z, 0-9, '_' or '-'" })
  // Ids key plain JSON objects in the score state; these would collide with Object.prototype.
  .refine((id) => !RESERVED_IDS.has(id), { error: "is a reserved word and cannot be a rule id" })
  .meta({ description: "Stable identifier; score aggregates and the ledger are keyed by it." });

const label = z.string().min(1).max(200).meta({ description: "Human text shown in breakdowns." });

const points = z
  .number()
  .min(-1000)
  .max(1000)
  .meta({ description: "Points awarded per match; negative points lower the score." });

const cap = z.number().positive().max(1_000_000);

function oneOrMany<T extends z.ZodType>(item: T, what: string) {
  return z.union([item, z.array(item).min(1).max(50)], { error: `must be ${what} or a non-empty array of them` });
}

const funnelStage = z.enum(["tofu", "mofu", "bofu"]);

const pathGlob = z
  .string()
  .max(200)
  .regex(/^[/*][^?#\s]*$/, {
    error: "must be a URL path glob starting with '/' or '*', like '*/pricing*' (no query, fragment or spaces)",
  })
  .meta({ description: "Glob on the URL path: '*' matches any characters; case-insensitive; query ignored." });

const propRange = z
  .strictObject({ gte: z.number().optional(), lte: z.number().optional() })
  .meta({ description: "Numeric range, bounds inclusive." });

const propCondition = z.union([z.string().max(1024), z.number(), z.boolean(), propRange], {
  error: "must be a string, number, boolean or a {gte, lte} range",
});

const when = z
  .strictObject({
    form: oneOrMany(z.string().min(1).max(100), "a form kind or id").optional()
      .meta({ description: "Form kind (data-mql-form) or form id/name; case-insensitive." }),
    cta: oneOrMany(z.string().min(1).max(100), "a CTA name").optional()
      .meta({ description: "CTA name (data-mql-cta); case-insensitive." }),
    url: oneOrMany(pathGlob, "a path glob").optional(),
    funnel: oneOrMany(funnelStage, "a funnel stage").optional()
      .meta({ description: "Content stage: the page's mql:funnel meta, else the first matching funnel URL rule, else tofu." }),
    props: z
      .record(z.string().regex(/^[A-Za-z0-9_]{1,40}$/, { error: "must be a prop name of 1 to 40 characters of A-Z, a-z, 0-9 or '_'" }), propCondition)
      .optional()
      .meta({ description: "Prop equality (strings case-insensitive) or numeric ranges; all must hold." }),
  })
  .meta({ description: "All given conditions must hold; a list matches any of its entries." });

const signalRule = z.strictObject({
  id: ruleId,
  label,
  type: z
    .string()
    .regex(CUSTOM_TYPE, { error: "must be an event type: a-z, 0-9 or '_', 1 to 40 characters" })
    .meta({ description: "The event type this rule matches (built-in or custom track name)." }),
  when: when.optional(),
  points,
  once: z.boolean().optional().meta({ description: "Award at most once ever." }),
  maxPerDay: cap.optional().meta({ description: "Most |points| this rule gives in one UTC day." }),
  maxTotal: cap.optional().meta({ description: "Most |points| this rule gives ever." }),
  every: z
    .number()
    .positive()
    .max(86_400)
    .optional()
    .meta({ description: "Dwell-style: `points` per `every` seconds of props.total (engaged seconds on the page)." }),
  maxPerPage: cap.optional().meta({ description: "With `every`: most points one page view can give." }),
});

const fitRule = z.strictObject({
  id: ruleId,
  label,
  trait: z.enum(["title", "industry", "company", "country", "employees"]),
  anyOf: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "Whole words or phrases, case-insensitive (text traits)." }),
  min: z.number().optional().meta({ description: "Inclusive lower bound (employees)." }),
  max: z.number().optional().meta({ description: "Inclusive upper bound (employees)." }),
  points,
});

const grade = z.enum(["A", "B", "C", "D"]);

/** A partial rules object as accepted by resolveRules: every key optional, merged over the defaults. */
export const partialRulesSchema = z
  .strictObject({
    threshold: z.number().positive().max(1_000_000).optional()
      .meta({ description: "Engagement points needed to qualify (default 50)." }),
    decay: z
      .strictObject({
        halfLifeDays: z.number().positive().max(36_500).optional()
          .meta({ description: "Engagement half-life in days; fractions allowed (default 30)." }),
      })
      .optional(),
    minFit: grade.nullable().optional()
      .meta({ description: "Lowest fit grade that may qualify (A best); null for no requirement." }),
    signals: z.array(signalRule).max(200).optional()
      .meta({ description: "Scoring rules; when given, replaces the default list." }),
    fit: z
      .strictObject({
        rules: z.array(fitRule).max(200).optional()
          .meta({ description: "Trait rules; when given, replaces the default list." }),
        grades: z
          .strictObject({ A: z.number().optional(), B: z.number().optional(), C: z.number().optional() })
          .optional()
          .meta({ description: "Minimum fit score for each grade; below C is D." }),
      })
      .optional(),
    funnel: z
      .array(z.strictObject({ pattern: pathGlob, stage: funnelStage }))
      .max(200)
      .optional()
      .meta({ description: "URL rules giving a page its funnel stage; first match wins; when given, replaces the default list." }),
  })
  .meta({
    title: "mql-edge rules",
    description: "A partial rules object, merged key by key over the defaults (lists given replace the default lists).",
  });

export type PartialRules = z.infer<typeof partialRulesSchema>;

/** JSON Schema (draft 2020-12) of a partial rules object as accepted by resolveRules. */
export const RULES_JSON_SCHEMA: object = z.toJSONSchema(partialRulesSchema, { target: "draft-2020-12" });
