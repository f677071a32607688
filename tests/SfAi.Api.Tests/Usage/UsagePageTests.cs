using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Usage;

/// <summary>
/// The usage page in a real headless browser: Debian's Chromium (<c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs)
/// driven by Playwright, against the real gateway and its ledger. A screenshot is left in the test output
/// (<c>usage-page.png</c>), not committed.
/// </summary>
public sealed class UsagePageTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string AdminKey = "sk-sfai-admin-0123456789abcdef";

    [Fact]
    public async Task Shows_the_same_figures_as_the_usage_API_for_an_admin_key()
    {
        Assert.True(File.Exists(Chromium), $"The browser test needs Debian's chromium at {Chromium} (apt-get install chromium; .ci/run installs it).");
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysFiles.WriteAsync($$"""
            {"keys":[
              {"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"],"budget":{"dailyUsd":1} },
              {"name":"admin","sha256":"{{KeysFiles.Hash(AdminKey)}}","aliases":["*"],"admin":true}
            ]}
            """);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(upstream.V1), "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);
        foreach (var model in new[] { "frontend", "frontend", "echo", "nope" })
        {
            using var _ = await Post.JsonAsync(gateway.Http, $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""");
        }
        await gateway.Logs.WaitForAsync("chat_completion", 3);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var offsite = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(gateway.BaseUrl.AbsoluteUri, StringComparison.Ordinal))
            {
                offsite.Add(request.Url);
            }
        };
        await page.GotoAsync(new Uri(gateway.BaseUrl, "/usage").AbsoluteUri);
        await page.FillAsync("#key", AdminKey);
        await page.ClickAsync("#load");
        await page.WaitForSelectorAsync("#aliases tbody tr");
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var api = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/usage?group_by=alias", TestContext.Current.CancellationToken)).RootElement;

        var total = api.GetProperty("total");
        Assert.Equal("$" + total.GetProperty("cost_usd").GetDecimal().ToString("0.######", CultureInfo.InvariantCulture), await page.TextContentAsync("#total-cost"));
        Assert.Equal(total.GetProperty("requests").GetInt64().ToString(CultureInfo.InvariantCulture), await page.TextContentAsync("#total-requests"));
        Assert.Equal("25.0 %", await page.TextContentAsync("#total-errors"));
        var aliasRows = await page.Locator("#aliases tbody tr th").AllTextContentsAsync();
        Assert.Equal(api.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("group").GetString()!), aliasRows);
        Assert.Equal(["alice"], await page.Locator("#keys tbody tr th").AllTextContentsAsync());
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var byDay = JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/usage?group_by=day&from={today}&to={today}", TestContext.Current.CancellationToken)).RootElement;
        var costByAlias = byDay.GetProperty("data")[0].GetProperty("cost_by_alias");
        Assert.Equal(["frontend"], await page.Locator("#chart rect").EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.alias)"));
        Assert.Equal($"{today} frontend: ${costByAlias.GetProperty("frontend").GetDecimal().ToString("0.######", CultureInfo.InvariantCulture)}",
            await page.TextContentAsync("#chart rect title"));
        Assert.Equal(["frontend"], (await page.Locator("#legend li").AllTextContentsAsync()).Select(t => t.Split(' ')[0]));
        var budget = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/usage/budgets", TestContext.Current.CancellationToken)).RootElement.GetProperty("data")[0];
        Assert.Equal(["key alice"], await page.Locator("#budgets tbody th").AllTextContentsAsync());
        Assert.Equal((double)budget.GetProperty("spent_usd").GetDecimal(), await page.EvalOnSelectorAsync<double>("#budgets meter", "m => m.value"), 9);
        Assert.Equal(1.0, await page.EvalOnSelectorAsync<double>("#budgets meter", "m => m.max"));
        Assert.Equal(AdminKey, await page.EvaluateAsync<string>("sessionStorage.getItem('sfai.adminKey')"));
        Assert.Empty(offsite);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "usage-page.png"), FullPage = true });
        File.Delete(keys);
    }

    [Fact]
    public async Task Says_why_when_the_key_is_not_an_admin()
    {
        Assert.True(File.Exists(Chromium), $"The browser test needs Debian's chromium at {Chromium}.");
        var keys = await KeysFiles.WriteAsync($$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"]}]}""");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(gateway.BaseUrl, "/usage").AbsoluteUri);
        await page.FillAsync("#key", KeysFiles.AliceKey);
        await page.ClickAsync("#load");
        await page.WaitForSelectorAsync("#status.error");

        Assert.Contains("admin keys only", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#totals").IsHiddenAsync());
        File.Delete(keys);
    }
}
