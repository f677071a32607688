using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access.Supabase;

/// <summary>
/// A real gateway trusting a <see cref="FakeSupabase"/> project, on a fake clock, with the aliases <c>echo</c> (open to
/// anonymous callers and Supabase users) and <c>private</c> (gateway keys only, unless a policy says otherwise).
/// </summary>
internal sealed class SupabaseGateway : IAsyncDisposable
{
    public const string ModelMap = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": {
            "echo": { "provider": "echo", "model": "echo-1" },
            "private": { "provider": "echo", "model": "echo-1" }
          },
          "prices": { "echo-1": { "input": 1, "output": 1 } }
        }
        """;

    private readonly string _keysPath;

    private SupabaseGateway(FakeSupabase project, FakeTimeProvider time, TestGateway gateway, string keysPath)
    {
        Project = project;
        Time = time;
        Gateway = gateway;
        _keysPath = keysPath;
    }

    public FakeSupabase Project { get; }

    public FakeTimeProvider Time { get; }

    public TestGateway Gateway { get; }

    public static string KeysFile(string supabaseSection = """{ "aliases": ["echo"] }""") => $$"""
        {
          "anonymous": { "aliases": ["echo"] },
          "supabase": {{supabaseSection}},
          "keys": [ { "name": "alice", "sha256": "{{KeysFiles.Hash(KeysFiles.AliceKey)}}", "aliases": ["*"] } ]
        }
        """;

    public static async Task<SupabaseGateway> StartAsync(string? keysFile = null, params string[] settings)
    {
        var project = await FakeSupabase.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keysPath = await KeysFiles.WriteAsync(keysFile ?? KeysFile());
        var gateway = await TestGateway.StartAsync(ModelMap, time,
        [
            "--AUTH_MODE=keys",
            $"--API_KEYS_PATH={keysPath}",
            $"--SUPABASE_URL={project.Url}",
            $"--SUPABASE_ANON_KEY={FakeSupabase.AnonKey}",
            .. settings.Any(s => s.StartsWith("--SUPABASE_JWT_SECRET=", StringComparison.Ordinal)) ? [] : new[] { $"--SUPABASE_JWT_SECRET={FakeSupabase.LegacySecret}" },
            .. settings,
        ]);
        return new SupabaseGateway(project, time, gateway, keysPath);
    }

    /// <summary>A signed-in user's token for now on the gateway's clock.</summary>
    public string UserToken(string userId, string? email = null) => Project.Mint(Project.UserClaims(userId, Time.GetUtcNow(), email));

    /// <summary>A chat completion as supabase-js callers send it: the session as bearer, the anon key as <c>apikey</c>.</summary>
    public async Task<HttpResponseMessage> CallAsync(string model, string? bearer, string? apiKey = FakeSupabase.AnonKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("apikey", apiKey);
        }
        request.Headers.Add("x-client-info", "supabase-js-web/2.50.0");
        return await Gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Project.DisposeAsync();
        File.Delete(_keysPath);
    }
}
