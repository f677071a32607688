using System.Text.Json.Nodes;
using SfAi.Api.Access;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access;

/// <summary><c>keys create</c> prints a new key once and the entry (its hash) to add to the keys file.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public void Prints_a_key_and_the_entry_holding_only_its_hash()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = KeysCommand.Run(["keys", "create", "--name", "alice", "--aliases", "backend,frontend", "--qpm", "60", "--expires", "2027-01-31"], output, error);

        Assert.Equal(0, exit);
        var text = output.ToString();
        var key = text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("sk-sfai-", StringComparison.Ordinal));
        var entry = JsonNode.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.Equal("alice", entry["name"]!.GetValue<string>());
        Assert.Equal(KeysFiles.Hash(key), entry["sha256"]!.GetValue<string>());
        Assert.Equal(["backend", "frontend"], entry["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(60, entry["qpm"]!.GetValue<int>());
        Assert.StartsWith("2027-01-31T00:00:00", entry["expires"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, entry.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Marks_an_admin_key_that_may_read_the_usage_figures()
    {
        using var output = new StringWriter();

        var exit = KeysCommand.Run(["keys", "create", "--name", "ops", "--aliases", "echo", "--admin", "true"], output, TextWriter.Null);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.True(JsonNode.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..])!["admin"]!.GetValue<bool>());
    }

    [Fact]
    public void Makes_a_different_key_each_time()
    {
        string NewKey()
        {
            using var output = new StringWriter();
            KeysCommand.Run(["keys", "create", "--name", "a", "--aliases", "*"], output, TextWriter.Null);
            return output.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("sk-sfai-", StringComparison.Ordinal));
        }

        Assert.NotEqual(NewKey(), NewKey());
    }

    [Theory]
    [InlineData("keys create --aliases x")]
    [InlineData("keys create --name a --aliases x --qpm many")]
    [InlineData("keys create --name a --aliases x --admin yes")]
    [InlineData("keys create --name a --aliases x --expires someday")]
    [InlineData("keys delete")]
    public void Refuses_incomplete_or_malformed_arguments(string commandLine)
    {
        using var error = new StringWriter();

        Assert.Equal(2, KeysCommand.Run(commandLine.Split(' '), TextWriter.Null, error));
        Assert.NotEmpty(error.ToString());
    }
}
