using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access;

/// <summary>The keys file may let callers without a key use some aliases (the shipped one: echo only); <c>AUTH_MODE=none</c> opens all.</summary>
public sealed class AnonymousAccessTests
{
    private const string TwoAliases = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": { "echo": { "provider": "echo", "model": "echo-1" }, "private": { "provider": "echo", "model": "echo-1" } }
        }
        """;

    [Fact]
    public async Task Lets_a_caller_without_a_key_use_the_anonymous_aliases()
    {
        var keys = await KeysFiles.WriteAsync(KeysFiles.Standard("\"echo\""));
        await using var gateway = await TestGateway.StartAsync(TwoAliases, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");

        var allowed = await Post.JsonAsync(gateway.Http, """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""");
        var refused = await Post.JsonAsync(gateway.Http, """{"model":"private","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("anonymous", Assert.Single(await gateway.Logs.WaitForAsync("chat_completion")).GetProperty("keyName").GetString());
        File.Delete(keys);
    }

    [Fact]
    public async Task Opens_every_alias_when_auth_mode_is_none()
    {
        await using var gateway = await TestGateway.StartAsync(TwoAliases, "--AUTH_MODE=none");

        var response = await Post.JsonAsync(gateway.Http, """{"model":"private","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_to_start_when_keys_are_required_and_the_keys_file_is_invalid()
    {
        var keys = await KeysFiles.WriteAsync("""{"keys":[{"name":"x","sha256":"sk-plaintext-key","aliases":["*"]}]}""");

        var error = await Assert.ThrowsAsync<SfAi.Core.Configuration.ConfigLoadException>(
            () => TestGateway.StartAsync(TwoAliases, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}"));

        Assert.Contains("$.keys[0].sha256", error.Message, StringComparison.Ordinal);
        File.Delete(keys);
    }
}
