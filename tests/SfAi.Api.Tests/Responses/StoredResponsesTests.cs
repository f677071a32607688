#pragma warning disable OPENAI001
using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Responses;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Responses;

/// <summary><c>GET</c>/<c>DELETE /v1/responses/{id}</c> and <c>/input_items</c>: relayed to the OpenAI provider, which keeps the responses.</summary>
public sealed class StoredResponsesTests : IAsyncLifetime
{
    private FakeUpstream _openAI = null!;
    private FakeUpstream _other = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _openAI = await FakeUpstream.StartAsync();
        _other = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.EveryKind(_openAI.V1, _other.V1, _other.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAI.DisposeAsync();
        await _other.DisposeAsync();
    }

    private ResponsesClient Client() => new(new ApiKeyCredential("sk-client-key"),
        new ResponsesClientOptions { Endpoint = _gateway.V1, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    [Fact]
    public async Task The_SDK_gets_a_stored_response_from_the_OpenAI_provider()
    {
        _openAI.Respond = Replay.Json(Replay.Fixture("openai/responses-create.json"));

        ResponseResult response = await Client().GetResponseAsync("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", TestContext.Current.CancellationToken);

        Assert.StartsWith("In a peaceful grove", response.GetOutputText());
        var sent = _openAI.LastRequest;
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/responses/resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", sent.Path);
        Assert.Equal($"Bearer {ModelMaps.UpstreamKey}", sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task Delete_and_input_items_are_relayed_with_the_query_but_the_model_parameter()
    {
        _openAI.Respond = Replay.Json("""{"id":"resp_1","object":"response.deleted","deleted":true}""");

        using var deleted = await _gateway.Http.DeleteAsync("/v1/responses/resp_1?model=frontend", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(JsonNode.Parse(await deleted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["deleted"]!.GetValue<bool>());
        Assert.Equal(("DELETE", "/v1/responses/resp_1"), (_openAI.LastRequest.Method, _openAI.LastRequest.Path));

        _openAI.Respond = Replay.Json("""{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""");
        using var items = await _gateway.Http.GetAsync("/responses/resp_1/input_items?limit=5&order=asc", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.Equal("/v1/responses/resp_1/input_items?limit=5&order=asc", _openAI.LastRequest.Path);
    }

    [Fact]
    public async Task An_unknown_id_is_the_provider_s_404_in_OpenAI_shape()
    {
        _openAI.Respond = Replay.Json("""{"error":{"message":"Response with id 'resp_x' not found.","type":"invalid_request_error","param":null,"code":null}}""", 404);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().GetResponseAsync("resp_x", TestContext.Current.CancellationToken));

        Assert.Equal(404, error.Status);
        Assert.Contains("Response with id 'resp_x' not found.", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_translated_alias_named_by_model_is_refused_with_a_400()
    {
        using var answer = await _gateway.Http.GetAsync("/v1/responses/resp_1?model=backend", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["error"]!;
        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Empty(_other.Requests);
        Assert.Empty(_openAI.Requests);
    }
}
