using System.Text;
using SfAi.Core.Access;
using SfAi.Core.Configuration;

namespace SfAi.Core.Tests.Access;

/// <summary>The keys file's <c>"supabase"</c> section, read with the same rules and JSON paths as the rest of the file.</summary>
public sealed class SupabaseKeysFileTests
{
    private static ApiKeySet Parse(string json) => ApiKeySetParser.Parse(Encoding.UTF8.GetBytes(json), "test");

    private static IReadOnlyList<string> Problems(string json) =>
        Assert.Throws<ConfigValidationException>(() => Parse(json)).Problems;

    [Fact]
    public void Reads_the_policy_and_its_per_user_budget()
    {
        var policy = Parse("""
            { "supabase": { "aliases": ["backend", "frontend"], "qpm": 30, "tpm": 100000, "trustAppMetadata": true, "budget": { "dailyUsd": 0.5, "monthlyUsd": 5 } }, "keys": [] }
            """).Supabase!;

        Assert.Equal(["backend", "frontend"], policy.Aliases!.Order());
        Assert.Equal((30, 100000, true), (policy.RequestsPerMinute, policy.TokensPerMinute, policy.TrustAppMetadata));
        Assert.Equal(new SfAi.Core.Budgets.SpendBudget(0.5m, 5m, Strict: false), policy.Budget);
    }

    [Fact]
    public void A_budget_needs_an_amount_and_knows_its_fields()
    {
        var problems = Problems("""
            { "supabase": { "aliases": ["*"], "budget": { "usdPerMonth": 5 } },
              "anonymous": { "aliases": ["echo"], "budget": { "dailyUsd": -1, "strict": "yes" } }, "keys": [] }
            """);

        Assert.Contains(problems, p => p.Contains("$.supabase.budget.usdPerMonth", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.supabase.budget: needs 'dailyUsd' and/or 'monthlyUsd'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.anonymous.budget.dailyUsd: must be a number > 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.anonymous.budget.strict: must be true or false", StringComparison.Ordinal));
    }

    [Fact]
    public void Takes_a_star_for_every_alias_and_leaves_app_metadata_untrusted_by_default()
    {
        var policy = Parse("""{ "supabase": { "aliases": ["*"] }, "keys": [] }""").Supabase!;

        Assert.Null(policy.Aliases);
        Assert.False(policy.TrustAppMetadata);
    }

    [Fact]
    public void Has_no_policy_without_the_section() => Assert.Null(Parse("""{ "keys": [] }""").Supabase);

    [Theory]
    [InlineData("""{ "qpm": 5 }""", "$.supabase.aliases")]
    [InlineData("""{ "aliases": [], "trustAppMetadata": "yes" }""", "$.supabase.trustAppMetadata")]
    [InlineData("""{ "aliases": [], "qpm": 0 }""", "$.supabase.qpm")]
    [InlineData("""{ "aliases": [], "budget": 5 }""", "$.supabase.budget")]
    [InlineData("""{ "aliases": [], "rpm": 5 }""", "$.supabase")]
    public void Names_the_path_of_each_problem(string section, string path) =>
        Assert.Contains(Problems($$"""{ "supabase": {{section}}, "keys": [] }"""), problem => problem.StartsWith(path, StringComparison.Ordinal));
}
