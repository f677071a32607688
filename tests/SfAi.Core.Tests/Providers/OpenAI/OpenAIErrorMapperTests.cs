using System.Text;
using SfAi.Core.Providers.OpenAI;

namespace SfAi.Core.Tests.Providers.OpenAI;

public sealed class OpenAIErrorMapperTests
{
    private const string RateLimitBody = """
        {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 3, Used 3.","type":"requests","param":null,"code":"rate_limit_exceeded"}}
        """;

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(429)]
    public void Client_error_keeps_the_upstream_status(int status) =>
        Assert.Equal(status, OpenAIErrorMapper.FromResponse("openai", status, Encoding.UTF8.GetBytes(RateLimitBody), null).Status);

    [Fact]
    public void Client_error_in_openai_shape_is_relayed_byte_for_byte()
    {
        var body = Encoding.UTF8.GetBytes(RateLimitBody);

        var error = OpenAIErrorMapper.FromResponse("openai", 429, body, "20");

        Assert.NotNull(error.RawBody);
        Assert.Equal(body, error.RawBody.Value.ToArray());
        Assert.Equal("20", error.RetryAfter);
        Assert.Equal("upstream_error", error.Kind);
    }

    [Fact]
    public void Client_error_takes_over_message_type_code_and_param()
    {
        var body = Encoding.UTF8.GetBytes("""{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""");

        var error = OpenAIErrorMapper.FromResponse("openai", 400, body, null);

        Assert.Equal(
            ("Invalid value for 'temperature'.", "invalid_request_error", "invalid_value", "temperature"),
            (error.Message, error.Type, error.Code, error.Param));
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public void Client_error_with_a_text_body_is_wrapped_with_the_text()
    {
        var error = OpenAIErrorMapper.FromResponse("local", 404, Encoding.UTF8.GetBytes("404 page not found\n"), null);

        Assert.Equal("The upstream provider 'local' rejected the request with HTTP 404: 404 page not found", error.Message);
        Assert.Equal(("invalid_request_error", null, null), (error.Type, error.Code, error.Param));
        Assert.Null(error.RawBody);
    }

    [Fact]
    public void Client_error_json_without_an_error_object_is_wrapped_with_its_text()
    {
        var error = OpenAIErrorMapper.FromResponse("local", 422, Encoding.UTF8.GetBytes("""{"detail":"model not loaded"}"""), null);

        Assert.Equal("""The upstream provider 'local' rejected the request with HTTP 422: {"detail":"model not loaded"}""", error.Message);
        Assert.Null(error.RawBody);
    }

    [Fact]
    public void Client_error_with_an_empty_body_says_so() =>
        Assert.EndsWith("HTTP 400: (empty body)", OpenAIErrorMapper.FromResponse("local", 400, [], null).Message, StringComparison.Ordinal);

    [Fact]
    public void Long_text_body_is_quoted_to_500_bytes()
    {
        var error = OpenAIErrorMapper.FromResponse("local", 400, Encoding.UTF8.GetBytes(new string('x', 2000)), null);

        Assert.EndsWith(": " + new string('x', 500), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void Server_error_becomes_502_upstream_unavailable(int status)
    {
        var body = Encoding.UTF8.GetBytes("""{"error":{"message":"The server is overloaded.","type":"server_error","param":null,"code":null}}""");

        var error = OpenAIErrorMapper.FromResponse("openai", status, body, "5");

        Assert.Equal((502, "upstream_error", "upstream_unavailable"), (error.Status, error.Type, error.Code));
        Assert.Equal($"The upstream provider 'openai' could not be reached or failed: HTTP {status}: The server is overloaded.", error.Message);
        Assert.Null(error.RawBody);
        Assert.Equal("5", error.RetryAfter);
    }

    [Fact]
    public void Server_error_with_a_text_body_quotes_it() =>
        Assert.EndsWith(
            "HTTP 503: upstream connect error",
            OpenAIErrorMapper.FromResponse("local", 503, Encoding.UTF8.GetBytes("upstream connect error"), null).Message,
            StringComparison.Ordinal);
}
