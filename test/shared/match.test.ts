import { describe, expect, it } from "vitest";
import { compileGlob, findPhrase, globMatch, urlPath, wordText } from "../../shared/match";

describe("urlPath", () => {
  it.each([
    ["https://www.example.com/Pricing/?plan=pro#top", "/pricing"],
    ["https://www.example.com", "/"],
    ["https://www.example.com?x=1", "/"],
    ["https://www.example.com/", "/"],
    ["http://localhost:8787/demo//", "/demo"],
    ["https://user@example.com:8443/a/b?c", "/a/b"],
    ["/careers?x", "/careers"],
    ["//cdn.example.com/x/y", "/x/y"],
  ])("%s → %s", (url, path) => expect(urlPath(url)).toBe(path));
});

describe("globs", () => {
  const match = (pattern: string, url: string) => globMatch(compileGlob(pattern), urlPath(url));

  it("matches * as any run of characters, case-insensitively, ignoring the query", () => {
    expect(match("*/pricing*", "https://x.com/pricing")).toBe(true);
    expect(match("*/pricing*", "https://x.com/en/Pricing/enterprise?x=/careers")).toBe(true);
    expect(match("*/pricing*", "https://x.com/blog/why-pricing")).toBe(false);
    expect(match("*/careers*", "https://x.com/?next=/careers")).toBe(false);
    expect(match("/blog/*/comments", "https://x.com/blog/a/b/comments/")).toBe(true);
    expect(match("/blog/*/comments", "https://x.com/blog/comments")).toBe(false);
    expect(match("/docs/", "https://x.com/docs")).toBe(true);
    expect(match("/", "https://x.com")).toBe(true);
    expect(match("*", "https://x.com/anything")).toBe(true);
    expect(match("*a*a*a*b", `https://x.com/${"a".repeat(2000)}`)).toBe(false);
  });

  it("treats regex metacharacters in patterns as literals", () => {
    expect(match("/a.b/(x)+", "https://x.com/a.b/(x)+")).toBe(true);
    expect(match("/a.b", "https://x.com/axb")).toBe(false);
  });

  it("does not overlap the first and last segments", () => {
    expect(match("/ab*ba", "https://x.com/aba")).toBe(false);
    expect(match("/ab*ba", "https://x.com/abba")).toBe(true);
  });
});

describe("whole-word phrases", () => {
  it("matches words and phrases, never parts of words", () => {
    expect(findPhrase(wordText("Director of Engineering"), wordText("director"))).toHaveLength(1);
    expect(findPhrase(wordText("CTO"), wordText("director"))).toHaveLength(0);
    expect(findPhrase(wordText("Directorate"), wordText("director"))).toHaveLength(0);
    expect(findPhrase(wordText("Vice-President, Sales"), wordText("vice president"))).toHaveLength(1);
    expect(findPhrase(wordText("lead lead"), wordText("lead"))).toHaveLength(2);
  });
});
