import { describe, expect, it } from "vitest";
import { gradeFit } from "../../shared/engine";
import { DEFAULT_RULES } from "../../shared/rules";
import { resolveOrThrow } from "./helpers";

const fit = DEFAULT_RULES.fit;
const score = (traits: Parameters<typeof gradeFit>[0]) => gradeFit(traits, fit).score;

describe("gradeFit (default B2B rules)", () => {
  it.each([
    ["CEO", 30],
    ["Founder & CEO", 30],
    ["Co-Founder", 30],
    ["Chief Revenue Officer", 30],
    ["President", 30],
    ["Vice President, Sales", 25],
    ["VP Engineering", 25],
    ["Head of Growth", 25],
    ["Director of Marketing", 20],
    ["Managing Director", 20],
    ["Engineering Manager", 10],
    ["Team Lead", 10],
    ["Product Owner", 10],
    ["Software Engineer", 0],
    ["Directorate assistant", 0],
    ["CTO", 30],
  ])("title %s scores %i", (title, points) => {
    expect(score({ title })).toBe(points);
  });

  it("does not let 'director' match 'cto' or 'president' match inside 'vice president'", () => {
    const rules = resolveOrThrow({
      fit: { rules: [{ id: "d", label: "Director", trait: "title", anyOf: ["director"], points: 20 }] },
    });
    expect(gradeFit({ title: "CTO" }, rules.fit).score).toBe(0);
  });

  it.each([
    [5, 0],
    [10, 5],
    [49, 5],
    [50, 15],
    [199, 15],
    [200, 20],
    [999, 20],
    [1000, 25],
    [250_000, 25],
  ])("employees %i scores %i", (employees, points) => {
    expect(score({ employees })).toBe(points);
  });

  it("scores industries by whole words", () => {
    expect(score({ industry: "Computer Software" })).toBe(15);
    expect(score({ industry: "Financial Services" })).toBe(15);
    expect(score({ industry: "Finance" })).toBe(0);
    expect(score({ industry: "Softwareless" })).toBe(0);
  });

  it("grades A ≥ 60, B ≥ 40, C ≥ 20, else D, and null without fit traits", () => {
    expect(gradeFit({ title: "CEO", employees: 250, industry: "SaaS" }, fit)).toEqual({ grade: "A", score: 65 });
    expect(gradeFit({ title: "Director", employees: 60 }, fit)).toEqual({ grade: "C", score: 35 });
    expect(gradeFit({ title: "VP Sales", employees: 60 }, fit)).toEqual({ grade: "B", score: 40 });
    expect(gradeFit({ company: "Acme" }, fit)).toEqual({ grade: "D", score: 0 });
    expect(gradeFit({ email: "a@b.co" }, fit)).toEqual({ grade: null, score: 0 });
    expect(gradeFit({}, fit)).toEqual({ grade: null, score: 0 });
  });

  it("supports country and company rules and negative points", () => {
    const rules = resolveOrThrow({
      fit: {
        rules: [
          { id: "dach", label: "DACH", trait: "country", anyOf: ["DE", "AT", "CH"], points: 10 },
          { id: "competitor", label: "Competitor", trait: "company", anyOf: ["Rival Inc"], points: -50 },
        ],
      },
    });
    expect(gradeFit({ country: "DE", company: "Rival Inc." }, rules.fit)).toEqual({ grade: "D", score: -40 });
  });
});
