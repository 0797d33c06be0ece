import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "../../worker/webhook-url";

describe("webhook URL policy", () => {
  it.each([
    "http://127.0.0.1:9000/hook", "http://localhost:3000/x", "http://[::1]:8080/", "https://127.0.0.1/", "https://10.0.0.5/",
    "https://192.168.1.10/", "https://172.20.0.1/", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/",
    "https://[fd00::1]/", "https://[::ffff:127.0.0.1]/", "https://db.internal/", "https://printer.local/", "https://intranet/",
    "https://2130706433/", "https://0x7f.0.0.1/", "http://hooks.example.com/", "https://user:pw@hooks.example.com/", "not a url",
  ])("production refuses %s", (url) => {
    expect(webhookUrlProblem(url, false)).not.toBeNull();
  });

  it.each(["https://hooks.example.com/mql", "https://api.example.co.uk:8443/webhooks?x=1", "https://8.8.8.8/"])("production accepts %s", (url) => {
    expect(webhookUrlProblem(url, false)).toBeNull();
  });

  it("development also accepts http:// to loopback, and nothing else over http", () => {
    expect(webhookUrlProblem("http://127.0.0.1:9000/hook", true)).toBeNull();
    expect(webhookUrlProblem("http://localhost:3000/", true)).toBeNull();
    expect(webhookUrlProblem("http://10.0.0.5/", true)).not.toBeNull();
    expect(webhookUrlProblem("http://hooks.example.com/", true)).not.toBeNull();
  });
});
