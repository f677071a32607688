using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access.Supabase;

/// <summary>The keys file's <c>"supabase"</c> policy: per user, and overridden by <c>app_metadata.sfai</c> only when trusted.</summary>
public sealed class SupabasePolicyTests
{
    [Fact]
    public async Task Counts_the_request_limit_per_user()
    {
        await using var gateway = await SupabaseGateway.StartAsync(SupabaseGateway.KeysFile("""{ "aliases": ["echo"], "qpm": 2, "budget": { "monthlyUsd": 5 } }"""));
        var ada = gateway.UserToken("user-ada");
        var bob = gateway.UserToken("user-bob");

        var adaStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            adaStatuses.Add((await gateway.CallAsync("echo", ada)).StatusCode);
        }
        var bobResponse = await gateway.CallAsync("echo", bob);
        var limited = await gateway.CallAsync("echo", ada);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], adaStatuses);
        Assert.Equal(HttpStatusCode.OK, bobResponse.StatusCode);
        Assert.Contains("user 'user-ada'", (await Post.ErrorAsync(limited)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_the_budget_per_user()
    {
        // Echo at $1 per million tokens: "hi" costs 8 in + 3 out = $0.000011, past a budget of $0.00001.
        await using var gateway = await SupabaseGateway.StartAsync(SupabaseGateway.KeysFile("""{ "aliases": ["echo"], "budget": { "dailyUsd": 0.00001 } }"""));
        var ada = gateway.UserToken("user-ada");
        var bob = gateway.UserToken("user-bob");

        var first = await gateway.CallAsync("echo", ada);
        await gateway.Gateway.Logs.WaitForAsync("chat_completion");
        var second = await gateway.CallAsync("echo", ada);
        var bobResponse = await gateway.CallAsync("echo", bob);

        Assert.Equal((HttpStatusCode.OK, (HttpStatusCode)429, HttpStatusCode.OK), (first.StatusCode, second.StatusCode, bobResponse.StatusCode));
        Assert.StartsWith("Budget reached for user 'user-ada': its daily budget is $0.00001, and $0.000011 has been spent.",
            (await Post.ErrorAsync(second)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_budgets_API_lists_each_users_budget_with_what_they_spent()
    {
        await using var gateway = await SupabaseGateway.StartAsync($$"""
            {
              "supabase": { "aliases": ["echo"], "budget": { "dailyUsd": 1 } },
              "keys": [ { "name": "alice", "sha256": "{{KeysFiles.Hash(KeysFiles.AliceKey)}}", "aliases": ["*"], "admin": true } ]
            }
            """);
        foreach (var user in new[] { "user-ada", "user-ada", "user-bob" })
        {
            using var _ = await gateway.CallAsync("echo", gateway.UserToken(user));
        }
        await gateway.Gateway.Logs.WaitForAsync("chat_completion", 3);
        gateway.Gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);

        var budgets = JsonDocument.Parse(await gateway.Gateway.Http.GetStringAsync("/v1/usage/budgets", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal([("user-ada", 0.000022m), ("user-bob", 0.000011m)], budgets.GetProperty("data").EnumerateArray()
            .Where(b => b.GetProperty("scope").GetString() == "user")
            .Select(b => (b.GetProperty("name").GetString(), b.GetProperty("spent_usd").GetDecimal())));
    }

    [Theory]
    [InlineData(false, HttpStatusCode.Forbidden)]
    [InlineData(true, HttpStatusCode.OK)]
    public async Task Lets_app_metadata_widen_a_users_aliases_only_when_trusted(bool trusted, HttpStatusCode expected)
    {
        await using var gateway = await SupabaseGateway.StartAsync(SupabaseGateway.KeysFile(
            $$"""{ "aliases": ["echo"], "trustAppMetadata": {{(trusted ? "true" : "false")}} }"""));
        var claims = gateway.Project.UserClaims("user-admin-made", gateway.Time.GetUtcNow());
        claims["app_metadata"] = new JsonObject { ["provider"] = "email", ["sfai"] = new JsonObject { ["aliases"] = new JsonArray("echo", "private") } };

        var response = await gateway.CallAsync("private", gateway.Project.Mint(claims));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Lets_a_trusted_app_metadata_set_a_users_own_request_limit()
    {
        await using var gateway = await SupabaseGateway.StartAsync(SupabaseGateway.KeysFile("""{ "aliases": ["echo"], "qpm": 100, "trustAppMetadata": true }"""));
        var claims = gateway.Project.UserClaims("user-trial", gateway.Time.GetUtcNow());
        claims["app_metadata"] = new JsonObject { ["sfai"] = new JsonObject { ["qpm"] = 1 } };
        var token = gateway.Project.Mint(claims);

        var first = await gateway.CallAsync("echo", token);
        var second = await gateway.CallAsync("echo", token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
    }

    [Fact]
    public async Task Gives_a_verified_user_no_alias_when_the_keys_file_has_no_supabase_section()
    {
        await using var gateway = await SupabaseGateway.StartAsync($$"""
            { "keys": [ { "name": "alice", "sha256": "{{KeysFiles.Hash(KeysFiles.AliceKey)}}", "aliases": ["*"] } ] }
            """);

        var response = await gateway.CallAsync("echo", gateway.UserToken("user-1"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
