#pragma warning disable OPENAI001
using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Responses;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Responses;

/// <summary>
/// The official OpenAI SDK's ResponsesClient → gateway → aliases that do not speak the Responses API: a fake Anthropic
/// upstream replaying captured Messages streams, a fake OpenAI-compatible chat server, and the echo provider.
/// </summary>
public sealed class ResponsesTranslationTests : IAsyncLifetime
{
    private const string WeatherTool = """{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""";
    private FakeUpstream _anthropic = null!;
    private FakeUpstream _compatible = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await FakeUpstream.StartAsync();
        _compatible = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.EveryKind(_compatible.V1, _anthropic.V1, _compatible.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _anthropic.DisposeAsync();
        await _compatible.DisposeAsync();
    }

    private ResponsesClient Client() => new(new ApiKeyCredential("sk-client-key"),
        new ResponsesClientOptions { Endpoint = _gateway.V1, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json)
    {
        using var answer = await _gateway.Http.PostAsync("/v1/responses", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The events of an SSE body: each one's name and parsed data.</summary>
    private static List<(string Name, JsonObject Data)> Events(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            return (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!.AsObject());
        })];

    [Fact]
    public async Task Streams_Claude_text_to_the_SDK_as_Responses_events()
    {
        _anthropic.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");
        var text = new StringBuilder();
        ResponseResult? completed = null;
        var options = new CreateResponseOptions("backend", [ResponseItem.CreateUserMessageItem("Hi")]) { Instructions = "Be brief.", MaxOutputTokenCount = 300, StreamingEnabled = true };

        await foreach (var update in await Client().CreateResponseStreamingAsync(options, TestContext.Current.CancellationToken))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.Equal("Hello there!", text.ToString());
        Assert.Equal("Hello there!", completed!.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(11, completed.Usage.InputTokenCount);
        Assert.Equal(6, completed.Usage.OutputTokenCount);
        var sent = _anthropic.LastRequest.Json;
        Assert.Equal("/v1/messages", _anthropic.LastRequest.Path);
        Assert.Equal("Be brief.", sent["system"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(300, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal("Hi", sent["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var log = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal("Hi", log.GetProperty("latestUserMessage").GetString());
        Assert.Equal(11, log.GetProperty("tokensIn").GetInt32());
    }

    [Fact]
    public async Task Writes_the_full_event_sequence_with_sequence_numbers()
    {
        _anthropic.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");

        var (status, body) = await PostAsync("""{"model":"backend","input":"Hi","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var events = Events(body);
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        var completed = events[^1].Data["response"]!;
        Assert.StartsWith("resp_", completed["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal("Hello there!", completed["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(events[2].Data["item"]!["id"]!.GetValue<string>(), events[4].Data["item_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_function_call_round_trip_goes_through_Claude()
    {
        _anthropic.Respond = Replay.StreamFixture("anthropic/sdk-tool_use_response.txt");
        var tool = ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherTool), strictModeEnabled: false, functionDescription: "Weather");
        var first = new CreateResponseOptions("backend", [ResponseItem.CreateUserMessageItem("Weather in Paris?")]) { Tools = { tool }, StreamingEnabled = true };
        var arguments = new StringBuilder();
        ResponseResult? completed = null;

        await foreach (var update in await Client().CreateResponseStreamingAsync(first, TestContext.Current.CancellationToken))
        {
            if (update is StreamingResponseFunctionCallArgumentsDeltaUpdate delta)
            {
                arguments.Append(delta.Delta.ToString());
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        var call = Assert.Single(completed!.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", call.CallId);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["location"]!.GetValue<string>());
        Assert.Equal(call.FunctionArguments.ToString(), arguments.ToString());
        Assert.Equal("get_weather", _anthropic.LastRequest.Json["tools"]![0]!["name"]!.GetValue<string>());

        _anthropic.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");
        var second = new CreateResponseOptions("backend",
            [ResponseItem.CreateUserMessageItem("Weather in Paris?"), call, ResponseItem.CreateFunctionCallOutputItem(call.CallId, "18 °C, sunny")])
        { Tools = { tool }, StreamingEnabled = true };
        ResponseResult? answer = null;
        await foreach (var update in await Client().CreateResponseStreamingAsync(second, TestContext.Current.CancellationToken))
        {
            answer = (update as StreamingResponseCompletedUpdate)?.Response ?? answer;
        }

        Assert.Equal("Hello there!", answer!.GetOutputText());
        var messages = _anthropic.LastRequest.Json["messages"]!.AsArray();
        var toolUse = messages[1]!["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", toolUse["id"]!.GetValue<string>());
        Assert.Equal("Paris", toolUse["input"]!["location"]!.GetValue<string>());
        var toolResult = messages[2]!["content"]![0]!;
        Assert.Equal("tool_result", toolResult["type"]!.GetValue<string>());
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", toolResult["tool_use_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Namespace_tools_go_up_with_qualified_names_and_come_back_with_their_own()
    {
        var events = Replay.Events("anthropic/sdk-tool_use_response.txt").Select(e => e.Replace("\"get_weather\"", "\"weather__get\"", StringComparison.Ordinal)).ToList();
        _anthropic.Respond = Replay.Stream(events);

        var (_, body) = await PostAsync($$"""
            {"model":"backend","input":"Weather in Paris?","stream":true,
             "tools":[{"type":"namespace","name":"weather","description":"Weather tools","tools":[{"type":"function","name":"get","parameters":{{WeatherTool}}}]},{"type":"web_search"}]}
            """);

        var sentTools = _anthropic.LastRequest.Json["tools"]!.AsArray();
        Assert.Equal("weather__get", Assert.Single(sentTools)!["name"]!.GetValue<string>());
        var done = Events(body).Single(e => e.Name == "response.output_item.done" && e.Data["item"]!["type"]!.GetValue<string>() == "function_call").Data["item"]!;
        Assert.Equal("get", done["name"]!.GetValue<string>());
        Assert.Equal("weather", done["namespace"]!.GetValue<string>());
        var log = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Contains("tools[web_search]", log.GetProperty("droppedParameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Answers_with_a_response_object_from_an_OpenAI_compatible_chat_server()
    {
        _compatible.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));
        var options = new CreateResponseOptions("local", [ResponseItem.CreateDeveloperMessageItem("Describe images."), ResponseItem.CreateUserMessageItem("What's in this image?")])
        {
            MaxOutputTokenCount = 200,
            Temperature = 0.5f,
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonObjectFormat() },
        };

        ResponseResult response = await Client().CreateResponseAsync(options, TestContext.Current.CancellationToken);

        Assert.Equal("The image shows a wooden boardwalk path running through a lush green field or meadow.", response.GetOutputText());
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(1117, response.Usage.InputTokenCount);
        Assert.Equal(1024, response.Usage.InputTokenDetails.CachedTokenCount);
        var sent = _compatible.LastRequest;
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("qwen3", sent.Json["model"]!.GetValue<string>());
        Assert.Equal("system", sent.Json["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Describe images.", sent.Json["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(200, sent.Json["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.5, sent.Json["temperature"]!.GetValue<double>(), 3);
        Assert.Equal("json_object", sent.Json["response_format"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_echo_alias_answers_the_SDK_without_an_upstream()
    {
        ResponseResult response = await Client().CreateResponseAsync("echo", "Hello gateway", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("You said: Hello gateway", response.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, response.Status);
    }

    [Fact]
    public async Task A_stream_cut_short_upstream_ends_with_response_failed()
    {
        var events = Replay.Events("anthropic/sdk-basic_response.txt");
        _anthropic.Respond = Replay.Stream([.. events.Take(5)]);

        var (_, body) = await PostAsync("""{"model":"backend","input":"Hi","stream":true}""");

        var last = Events(body)[^1];
        Assert.Equal("response.failed", last.Name);
        Assert.Equal("failed", last.Data["response"]!["status"]!.GetValue<string>());
        Assert.Contains("the stream ended before", last.Data["response"]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Events(body), e => e.Name == "response.completed");
    }
}
