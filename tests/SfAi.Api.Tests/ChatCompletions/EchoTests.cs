using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>The shipped map's <c>echo</c> alias answers with no key at all (the shipped keys file lets anonymous callers use it), as the README's first run promises.</summary>
public sealed class EchoTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "model_map.json")),
            "--AUTH_MODE=keys",
            $"--API_KEYS_PATH={Path.Combine(AppContext.BaseDirectory, "config", "api_keys.json")}");

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private ChatClient Client() => new("echo", new ApiKeyCredential("sk-sfai-local-echo"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

    [Fact]
    public async Task Answers_on_the_shipped_echo_alias_without_any_key()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("ping")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("You said: ping", completion.Content[0].Text);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Embeds_on_the_shipped_echo_embed_alias_without_any_key()
    {
        var client = new OpenAI.Embeddings.EmbeddingClient("echo-embed", new ApiKeyCredential("sk-sfai-local-echo"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

        var embeddings = await client.GenerateEmbeddingsAsync(["ping", "pong", "ping"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, embeddings.Value.Count);
        Assert.Equal(16, embeddings.Value[0].ToFloats().Length);
        Assert.Equal(embeddings.Value[0].ToFloats().ToArray(), embeddings.Value[2].ToFloats().ToArray());
        Assert.NotEqual(embeddings.Value[0].ToFloats().ToArray(), embeddings.Value[1].ToFloats().ToArray());
    }

    [Fact]
    public async Task Streams_on_the_shipped_echo_alias()
    {
        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("ping pong")], cancellationToken: TestContext.Current.CancellationToken))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("You said: ping pong", text.ToString());
        Assert.True(updates >= 4, $"{updates} updates: the reply was not streamed word by word");
    }
}
